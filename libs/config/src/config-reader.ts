import type { z } from 'zod';
import { CONFIG_KEYS, type ConfigKey } from './keys';
import { readConfigFile } from './config-file';

export type ConfigSource = 'environment' | 'config file' | 'default' | 'unset';
export type ConfigValue<K extends ConfigKey> = z.output<(typeof CONFIG_KEYS)[K]['schema']>;

/** One key's raw text and where it came from: the environment wins over the file, the file over the default. */
export function rawSetting(
  key: ConfigKey,
  env: NodeJS.ProcessEnv,
  file: Record<string, string | undefined>,
): { text: string | undefined; source: ConfigSource } {
  if (env[key] !== undefined && env[key] !== '') return { text: env[key], source: 'environment' };
  if (file[key] !== undefined) return { text: file[key], source: 'config file' };
  const fallback = CONFIG_KEYS[key].default;
  return { text: fallback, source: fallback === undefined ? 'unset' : 'default' };
}

/**
 * Typed access to any key, read the way `loadConfig` reads it. `loadConfig` has already checked
 * every key at boot and its result carries only the shared ones: a service reads its own here.
 */
export function configReader(env: NodeJS.ProcessEnv = process.env): <K extends ConfigKey>(key: K) => ConfigValue<K> {
  const file = env.PRINTFLEET_CONFIG ? readConfigFile(env.PRINTFLEET_CONFIG) : {};
  return <K extends ConfigKey>(key: K) => CONFIG_KEYS[key].schema.parse(rawSetting(key, env, file).text) as ConfigValue<K>;
}
