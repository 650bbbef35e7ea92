/**
 * Faults on demand. Rates are probabilities (0–1) drawn from a seeded PRNG, so a failing test
 * replays exactly. Line-triggered faults fire when the command carrying that `N` starts to run.
 */
export interface FaultOptions {
  /** PRNG seed for every random fault (default 1). */
  seed?: number;
  /** Probability that a host→printer byte gets one bit flipped on the wire. */
  corruptInRate?: number;
  /** Probability that a printer→host line arrives with one character garbled. */
  corruptOutRate?: number;
  /** Probability that an `ok` is never sent. */
  dropOkRate?: number;
  /** Unplug (close the port) when the command numbered N runs. */
  disconnectAtLine?: number;
  /** Unplug this long after the port was opened. */
  disconnectAfterMs?: number;
  /** Halt with `haltMessage` when the command numbered N runs. */
  haltAtLine?: number;
  /** Text after `Error:` for `haltAtLine` (default a MAXTEMP error). */
  haltMessage?: string;
  /** Filament runs out (`//action:pause`) when the command numbered N runs. */
  runoutAtLine?: number;
  /** Thermal runaway on hot end 0 this long after the port was opened. */
  thermalRunawayAfterMs?: number;
}

export const DEFAULT_HALT_MESSAGE = 'MAXTEMP triggered, system stopped! Heater_ID: 0';

const KEYS: Record<string, keyof FaultOptions> = {
  seed: 'seed',
  'corrupt-in': 'corruptInRate',
  'corrupt-out': 'corruptOutRate',
  'drop-ok': 'dropOkRate',
  'disconnect-line': 'disconnectAtLine',
  'disconnect-after': 'disconnectAfterMs',
  'halt-line': 'haltAtLine',
  'halt-message': 'haltMessage',
  'runout-line': 'runoutAtLine',
  'runaway-after': 'thermalRunawayAfterMs',
};

/** Durations may be written `1500`, `1500ms` or `30s`. */
function parseNumber(key: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  if (!m) throw new Error(`fault ${key}: "${value}" is not a number`);
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : n;
}

/**
 * Parse the CLI's `--faults` text: comma-separated `key=value`, e.g.
 * `corrupt-in=0.01,drop-ok=0.05,halt-line=120,halt-message=Heating failed,disconnect-after=30s`.
 */
export function parseFaults(spec: string): FaultOptions {
  const out: FaultOptions = {};
  if (!spec.trim()) return out;
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault "${part}" needs key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1);
    const field = KEYS[key];
    if (!field) throw new Error(`unknown fault "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
    if (field === 'haltMessage') {
      out.haltMessage = value.trim();
      continue;
    }
    const n = parseNumber(key, value);
    if (field.endsWith('Rate') && (n < 0 || n > 1)) throw new Error(`fault ${key}: rate must be within 0..1`);
    (out as Record<string, number>)[field] = n;
  }
  return out;
}
