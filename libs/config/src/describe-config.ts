import { readConfigFile } from './config-file';
import { rawSetting, type ConfigSource } from './config-reader';
import { CONFIG_KEYS, type ConfigKey } from './keys';

/** One setting as an admin page shows it: never a secret, never a token hidden in a URL. */
export interface ConfigEntry {
  key: ConfigKey;
  /** The text in force, redacted; null when unset. */
  value: string | null;
  source: ConfigSource;
  /** What README's table gives as the default; null when there is none. */
  defaultValue: string | null;
  help: string;
  redacted: boolean;
}

const HIDDEN = '(set, hidden)';

/** Scheme and host only: webhook URLs (Slack, Discord, …) carry their token in the path or query. */
function redactUrls(text: string): string {
  return text
    .split(',')
    .map((part) => {
      const trimmed = part.trim();
      try {
        const url = new URL(trimmed);
        const more = url.username || url.password || url.pathname.length > 1 || url.search || url.hash;
        return `${url.protocol}//${url.host}${more ? '/…' : ''}`;
      } catch {
        return '(not a URL)';
      }
    })
    .join(', ');
}

/**
 * Every `PRINTFLEET_*` key with the value this process runs with and where it came from. Read
 * only: site settings belong to the deployment (compose file, environment, config file), so the
 * running system never disagrees with what a restart would load.
 */
export function describeConfig(env: NodeJS.ProcessEnv = process.env): ConfigEntry[] {
  const file = env.PRINTFLEET_CONFIG ? readConfigFile(env.PRINTFLEET_CONFIG) : {};
  return (Object.keys(CONFIG_KEYS) as ConfigKey[]).map((key) => {
    const spec: { default: string | undefined; shownDefault?: string; help: string; redact?: 'secret' | 'url' } = CONFIG_KEYS[key];
    const { text, source } = rawSetting(key, env, file);
    const redact = text !== undefined && source !== 'default' ? spec.redact : undefined;
    const value = text === undefined ? null : redact === 'secret' ? HIDDEN : redact === 'url' ? redactUrls(text) : text;
    return {
      key,
      value,
      source,
      defaultValue: spec.shownDefault ?? spec.default ?? null,
      help: spec.help,
      redacted: redact !== undefined,
    };
  });
}
