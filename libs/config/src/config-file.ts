import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';
import { CONFIG_KEYS } from './keys';

/** The optional JSON file: an object of known `PRINTFLEET_*` keys, values as the environment would give them. */
export function readConfigFile(path: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`PRINTFLEET_CONFIG: cannot read ${path}: ${(err as Error).message}`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`PRINTFLEET_CONFIG: ${path} is not JSON: ${(err as Error).message}`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError([`PRINTFLEET_CONFIG: ${path} must hold a JSON object of PRINTFLEET_* keys`]);
  const unknown = Object.keys(parsed).filter((k) => !(k in CONFIG_KEYS));
  if (unknown.length) throw new ConfigError(unknown.map((k) => `${k}: unknown key in ${path}`));
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null ? undefined : String(v)]));
}
