import { readFileSync } from 'node:fs';
import { CONFIG_KEYS } from '@printfleet/config';

export interface AgentSettings {
  usbIds: string[];
  baudRate: number | undefined;
}

type AgentKey = 'PRINTFLEET_USB_IDS' | 'PRINTFLEET_BAUD_RATE';

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
  return { usbIds: read('PRINTFLEET_USB_IDS') as string[], baudRate: read('PRINTFLEET_BAUD_RATE') as number | undefined };
}
