import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configReader } from './config-reader';
import { describeConfig } from './describe-config';
import { CONFIG_KEYS } from './keys';

const entry = (env: NodeJS.ProcessEnv, key: string) => describeConfig(env).find((e) => e.key === key)!;

describe('describeConfig', () => {
  it('lists every key once, with its source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-describe-'));
    const file = join(dir, 'printfleet.json');
    writeFileSync(file, JSON.stringify({ PRINTFLEET_HTTP_PORT: 9090, PRINTFLEET_LOG_LEVEL: 'debug' }));
    const env = { PRINTFLEET_CONFIG: file, PRINTFLEET_LOG_LEVEL: 'warn' };
    const all = describeConfig(env);
    expect(all.map((e) => e.key)).toEqual(Object.keys(CONFIG_KEYS));
    expect(entry(env, 'PRINTFLEET_HTTP_PORT')).toMatchObject({ value: '9090', source: 'config file', defaultValue: '8080' });
    expect(entry(env, 'PRINTFLEET_LOG_LEVEL')).toMatchObject({ value: 'warn', source: 'environment' });
    expect(entry(env, 'PRINTFLEET_MQTT_PORT')).toMatchObject({ value: '1883', source: 'default' });
    expect(entry(env, 'PRINTFLEET_PORTS')).toMatchObject({ value: null, source: 'unset' });
  });

  it('never shows a secret, and shows only scheme and host of URLs', () => {
    const env = {
      PRINTFLEET_ADMIN_PASSWORD: 'a-long-admin-password',
      PRINTFLEET_WEBHOOK_SECRET: 'sixteen-chars-or-more',
      PRINTFLEET_WEBHOOKS: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET,http://10.0.0.5:8123/',
      PRINTFLEET_MQTT_URL: 'mqtt://user:pw@broker.lan:1883',
    };
    const shown = JSON.stringify(describeConfig(env));
    for (const secret of ['a-long-admin-password', 'sixteen-chars-or-more', 'XXXXSECRET', 'T000', 'user:pw']) expect(shown).not.toContain(secret);
    expect(entry(env, 'PRINTFLEET_WEBHOOKS')).toMatchObject({ value: 'https://hooks.slack.com/…, http://10.0.0.5:8123', redacted: true });
    expect(entry(env, 'PRINTFLEET_MQTT_URL').value).toBe('mqtt://broker.lan:1883/…');
    expect(entry(env, 'PRINTFLEET_ADMIN_PASSWORD')).toMatchObject({ value: '(set, hidden)', source: 'environment', redacted: true });
    expect(entry({}, 'PRINTFLEET_ADMIN_PASSWORD')).toMatchObject({ value: null, redacted: false });
  });
});

describe('configReader', () => {
  it('parses a key as loadConfig does: environment, else file, else default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-reader-'));
    const file = join(dir, 'printfleet.json');
    writeFileSync(file, JSON.stringify({ PRINTFLEET_COMMAND_TIMEOUT_MS: 2500, PRINTFLEET_HA_DISCOVERY: 'false' }));
    const read = configReader({ PRINTFLEET_CONFIG: file, PRINTFLEET_HA_DISCOVERY: 'true' });
    expect(read('PRINTFLEET_COMMAND_TIMEOUT_MS')).toBe(2500);
    expect(read('PRINTFLEET_HA_DISCOVERY')).toBe(true);
    expect(read('PRINTFLEET_USB_IDS')).toContain('0403:6001');
    expect(read('PRINTFLEET_WEBHOOKS')).toBeUndefined();
  });
});
