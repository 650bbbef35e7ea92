import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';

/** The admin's system report: version, disk, and the settings in force, never a secret. */
describe('GET /api/system', () => {
  let h: Harness;
  let admin: ApiClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    // describeConfig reads this process's environment, as the gateway does in production.
    process.env.PRINTFLEET_WEBHOOKS = 'https://hooks.example.org/services/T0KEN/SECRETPATH?sig=abc';
    process.env.PRINTFLEET_WEBHOOK_SECRET = 'webhook-secret-for-tests';
    process.env.PRINTFLEET_COMMAND_TIMEOUT_MS = '4321';
    h = await startGateway();
    await h.addUser('olga', 'operator');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    process.env = saved;
    await h?.close();
  });

  it('tells an admin the version, the free disk of the data dir and every setting with its source', async () => {
    const r = await admin.get('/api/system');
    expect(r.status).toBe(200);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(r.body).toMatchObject({ version: pkg.version, node: process.version });
    expect(r.body.disk.freeBytes).toBeGreaterThan(0);
    expect(r.body.disk.totalBytes).toBeGreaterThanOrEqual(r.body.disk.freeBytes);
    const byKey = new Map((r.body.settings as { key: string }[]).map((s) => [s.key, s]));
    expect(byKey.get('PRINTFLEET_COMMAND_TIMEOUT_MS')).toMatchObject({ value: '4321', source: 'environment', defaultValue: '10000' });
    expect(byKey.get('PRINTFLEET_SESSION_TTL_HOURS')).toMatchObject({ value: '168', source: 'default' });
    expect(byKey.get('PRINTFLEET_WEBHOOKS')).toMatchObject({ value: 'https://hooks.example.org/…', redacted: true });
    expect(byKey.get('PRINTFLEET_WEBHOOK_SECRET')).toMatchObject({ value: '(set, hidden)', redacted: true });
    const text = JSON.stringify(r.body);
    for (const secret of ['T0KEN', 'SECRETPATH', 'sig=abc', 'webhook-secret-for-tests', ADMIN_PASSWORD]) expect(text).not.toContain(secret);
  });

  it('is for admins only', async () => {
    const operator = await ApiClient.login(h.base, 'olga', 'olga-password-123');
    expect((await operator.get('/api/system')).status).toBe(403);
    expect((await new ApiClient(h.base).get('/api/system')).status).toBe(401);
  });
});
