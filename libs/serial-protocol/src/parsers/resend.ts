/**
 * Resend requests.
 *
 *   `Resend: 12`    Marlin, Prusa (after `Error:…, Last Line: 11`, followed by `ok`)
 *   `Resend:12`     Repetier (after `Error:Wrong checksum` and an empty line; repeated every 200 ms)
 *   `rs N12`, `rs 12`   Teacup/Smoothie style, accepted for completeness
 */
export function parseResend(line: string): number | null {
  const m = /^(?:Resend|rs)\s*:?\s*N?:?\s*(\d+)\s*$/i.exec(line.trim());
  return m ? Number(m[1]) : null;
}
