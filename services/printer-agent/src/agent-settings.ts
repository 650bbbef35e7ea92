import { readFileSync } from 'node:fs';
import { configReader } from '@printfleet/config';
import { scriptFor } from './session/pause-scripts';

export interface AgentSettings {
  usbIds: string[];
  baudRate: number | undefined;
  /** Pause and cancel scripts of one printer; undefined where the default applies. */
  scripts(printerId: string): { pauseScript?: string[]; cancelScript?: string[] };
}

/** `loadConfig` has validated every key at boot; its typed result carries only the shared keys. */
export function agentSettings(env: NodeJS.ProcessEnv = process.env): AgentSettings {
  const read = configReader(env);
  const pause = read('PRINTFLEET_PAUSE_SCRIPT');
  const cancel = read('PRINTFLEET_CANCEL_SCRIPT');
  const readProfile = (path: string) => readFileSync(path, 'utf8');
  // Profile files are read once per printer, at its first appearance: a bad path fails loudly then.
  return {
    usbIds: read('PRINTFLEET_USB_IDS'),
    baudRate: read('PRINTFLEET_BAUD_RATE'),
    scripts: (printerId) => ({
      pauseScript: scriptFor(pause, printerId, readProfile) ?? undefined,
      cancelScript: scriptFor(cancel, printerId, readProfile) ?? undefined,
    }),
  };
}
