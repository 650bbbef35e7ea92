/** Progress figures of a running job, from confirmed file lines and the slicer's own M73. Pure. */
export interface ProgressInput {
  /** Last file line (1-based) the firmware confirmed. */
  confirmedLine: number;
  totalLines: number;
  /** Seconds spent printing (pauses excluded). */
  elapsedS: number;
  /** The slicer's latest `M73 R<minutes>` that has been sent, if any. */
  slicerRemainingMin?: number;
}

export interface Progress {
  progress: number;
  remainingS: number | null;
}

export function jobProgress(input: ProgressInput): Progress {
  const fraction = input.totalLines > 0 ? Math.min(1, input.confirmedLine / input.totalLines) : 0;
  const progress = Math.round(fraction * 1000) / 10;
  if (input.slicerRemainingMin !== undefined) return { progress, remainingS: input.slicerRemainingMin * 60 };
  // Linear extrapolation; unknown until a little of the file has run.
  if (fraction < 0.01 || input.elapsedS <= 0) return { progress, remainingS: null };
  return { progress, remainingS: Math.round((input.elapsedS * (1 - fraction)) / fraction) };
}

/** `M73 P40 R12` → 12 (Prusa, Marlin with M73 R); null for lines without a remaining time. */
export function slicerRemainingMinutes(code: string): number | null {
  const m = /^M73\b.*\bR(\d+(?:\.\d+)?)/i.exec(code.trim());
  return m ? Number(m[1]) : null;
}
