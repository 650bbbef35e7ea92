import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('works on an empty environment with the documented defaults', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8080);
    expect(c.mqtt).toMatchObject({ port: 1883, url: 'mqtt://127.0.0.1:1883', external: false, wsPort: 9001 });
    expect(c.dataDir).toBe(join(process.cwd(), 'data'));
    expect(c.ports).toEqual([]);
    expect(c.agentId).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  });

  it('reports every bad key at once, each by name', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PRINTFLEET_HTTP_PORT: 'eighty', PRINTFLEET_MQTT_URL: 'http://x', PRINTFLEET_LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(3);
    expect(error!.message).toMatch(/PRINTFLEET_HTTP_PORT: .*"eighty"/);
    expect(error!.message).toMatch(/PRINTFLEET_MQTT_URL/);
    expect(error!.message).toMatch(/PRINTFLEET_LOG_LEVEL/);
  });

  it('refuses a misspelt PRINTFLEET_ variable instead of silently ignoring it', () => {
    expect(() => loadConfig({ PRINTFLEET_HTTP_PROT: '80' })).toThrow(/PRINTFLEET_HTTP_PROT: unknown setting/);
  });

  it('uses an external broker when PRINTFLEET_MQTT_URL is set', () => {
    expect(loadConfig({ PRINTFLEET_MQTT_URL: 'mqtt://broker.lan:1883' }).mqtt).toMatchObject({
      url: 'mqtt://broker.lan:1883',
      external: true,
    });
  });

  it('reads a config file, with the environment taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-config-'));
    const file = join(dir, 'printfleet.json');
    writeFileSync(file, JSON.stringify({ PRINTFLEET_HTTP_PORT: 9090, PRINTFLEET_PORTS: '/dev/ttyS1,/tmp/sim0' }));
    const c = loadConfig({ PRINTFLEET_CONFIG: file, PRINTFLEET_PORTS: '/dev/ttyACM0' });
    expect(c.http.port).toBe(9090);
    expect(c.ports).toEqual(['/dev/ttyACM0']);
  });

  it('names the file and the problem when the config file is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ nope');
    expect(() => loadConfig({ PRINTFLEET_CONFIG: file })).toThrow(/PRINTFLEET_CONFIG: .*bad\.json is not JSON/);
    writeFileSync(file, JSON.stringify({ PRINTFLEET_COLOUR: 'red' }));
    expect(() => loadConfig({ PRINTFLEET_CONFIG: file })).toThrow(/PRINTFLEET_COLOUR: unknown key/);
  });

  it('refuses relative serial port paths', () => {
    expect(() => loadConfig({ PRINTFLEET_PORTS: 'ttyUSB0' })).toThrow(/PRINTFLEET_PORTS: each port must be an absolute device path/);
  });
});
