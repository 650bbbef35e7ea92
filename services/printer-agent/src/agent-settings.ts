import { readFileSync } from 'node:fs';
import { CONFIG_KEYS } from '@printfleet/config';
import { scriptFor } from './session/pause-scripts';

export interface AgentSettings {
  usbIds: string[];
  baudRate: number | undefined;
  /** Pause and cancel scripts of one printer; undefined where the default applies. */
  scripts(printerId: string): { pauseScript?: string[]; cancelScript?: string[] };
}

type AgentKey = 'PRINTFLEET_USB_IDS' | 'PRINTFLEET_BAUD_RATE' | 'PRINTFLEET_PAUSE_SCRIPT' | 'PRINTFLEET_CANCEL_SCRIPT';

/**
 * `loadConfig` has validated every key at boot; its typed result carries only the shared keys,
 * so the agent reads its own the same way: environment, else the config file, else the default.
 */
export function agentSettings(env: NodeJS.ProcessEnv = process.env): AgentSettings {
  let file: Record<string, unknown> = {};
  if (env.PRINTFLEET_CONFIG) file = JSON.parse(readFileSync(env.PRINTFLEET_CONFIG, 'utf8')) as Record<string, unknown>;
  const read = (key: AgentKey): unknown => {
    const given = env[key] !== undefined && env[key] !== '' ? env[key] : file[key];
    return CONFIG_KEYS[key].schema.parse(given ?? CONFIG_KEYS[key].default);
  };
  const pause = read('PRINTFLEET_PAUSE_SCRIPT') as string | undefined;
  const cancel = read('PRINTFLEET_CANCEL_SCRIPT') as string | undefined;
  const readProfile = (path: string) => readFileSync(path, 'utf8');
  // Profile files are read once per printer, at its first appearance: a bad path fails loudly then.
  return {
    usbIds: read('PRINTFLEET_USB_IDS') as string[],
    baudRate: read('PRINTFLEET_BAUD_RATE') as number | undefined,
    scripts: (printerId) => ({
      pauseScript: scriptFor(pause, printerId, readProfile) ?? undefined,
      cancelScript: scriptFor(cancel, printerId, readProfile) ?? undefined,
    }),
  };
}
