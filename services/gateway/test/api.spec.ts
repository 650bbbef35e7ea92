import { printerCommandReplyTopic, printerCommandTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { FakeAgent } from './support/fake-agent';
import { LiveProbe } from './support/live-probe';

describe('gateway HTTP API (real broker, real SQLite)', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let live: LiveProbe;

  beforeAll(async () => {
    h = await startGateway({
      loginLimits: { perUser: 3, perIp: 50, windowMs: 60_000 },
      commandTimeoutMs: 1500,
    });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('olga', 'operator');
    await h.addUser('vic', 'viewer');
    await h.addUser('mia', 'maker');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    live = await LiveProbe.connect(h.base, admin.cookie);
    await agent.online();
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await live.nextPrinter('mk3-a', (p) => p.state.state === 'ready' && p.agent === 'online');
  });

  afterAll(async () => {
    live.close();
    await h.close();
  });

  describe('authentication', () => {
    it('answers 401 to API calls without a session or key, but health is open', async () => {
      const anon = new ApiClient(h.base);
      for (const path of [
        '/api/printers',
        '/api/printers/mk3-a',
        '/api/auth/me',
        '/api/users',
        '/api/docs/openapi.json',
      ]) {
        const res = await anon.get(path);
        expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
          path,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
      expect((await anon.post('/api/printers/mk3-a/commands/pause')).status).toBe(401);
      expect((await anon.get('/api/health')).status).toBe(200);
    });

    it('refuses a wrong password with a clear message, and unknown users the same way', async () => {
      const anon = new ApiClient(h.base);
      const wrong = await anon.post('/api/auth/login', { name: 'olga', password: 'not-her-password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toEqual({ code: 'BAD_CREDENTIALS', message: 'wrong user name or password' });
      const unknown = await anon.post('/api/auth/login', { name: 'nobody', password: 'whatever-password' });
      expect(unknown.body.error).toEqual(wrong.body.error);
      expect((await anon.post('/api/auth/login', { name: 'olga' })).body.error.code).toBe('INVALID_INPUT');
    });

    it('sets an httpOnly SameSite=Strict session cookie and tells who is logged in', async () => {
      const res = await fetch(`${h.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'OLGA', password: 'olga-password-123' }),
      });
      const cookie = res.headers.getSetCookie()[0]!;
      expect(cookie).toMatch(/^pf_session=[\w-]{43}; /);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const me = await olga.get('/api/auth/me');
      expect(me.body).toEqual({
        user: { name: 'olga', role: 'operator' },
        via: 'session',
        csrfToken: olga.csrf,
      });
    });

    it('rate-limits failed logins per user, even when the right password comes next', async () => {
      await h.addUser('rita', 'viewer');
      const anon = new ApiClient(h.base);
      for (let i = 0; i < 3; i++)
        expect(
          (await anon.post('/api/auth/login', { name: 'rita', password: `guess-number-${i}` })).status,
        ).toBe(401);
      const blocked = await anon.post('/api/auth/login', { name: 'rita', password: 'rita-password-123' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another user from the same address is not locked out by rita's count.
      expect((await anon.post('/api/auth/login', { name: 'vic', password: 'vic-password-123' })).status).toBe(
        200,
      );
    });

    it('refuses a cookie-authenticated change without the CSRF token, or with a wrong one', async () => {
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const csrf = olga.csrf;
      olga.csrf = '';
      const none = await olga.post('/api/printers/mk3-a/commands/pause');
      expect(none.status).toBe(403);
      expect(none.body.error.code).toBe('CSRF_REJECTED');
      olga.csrf = `${csrf.slice(0, -2)}xx`;
      expect((await olga.post('/api/auth/logout')).body.error.code).toBe('CSRF_REJECTED');
      olga.csrf = csrf;
      expect((await olga.post('/api/auth/logout')).status).toBe(204);
      expect((await olga.get('/api/auth/me')).status).toBe(401);
    });

    it('accepts an API key (hashed at rest, shown once) without CSRF, and stops after revocation', async () => {
      const created = await admin.post('/api/apikeys', { label: 'slicer', user: 'olga' });
      expect(created.status).toBe(201);
      const key: string = created.body.key;
      expect(key).toMatch(/^pfk_/);
      const list = await admin.get('/api/apikeys');
      expect(JSON.stringify(list.body)).not.toContain(key);
      const machine = new ApiClient(h.base);
      const me = await machine.request('GET', '/api/auth/me', undefined, { 'x-api-key': key });
      expect(me.body).toMatchObject({
        user: { name: 'olga', role: 'operator' },
        via: 'api-key',
        csrfToken: null,
      });
      expect((await admin.request('DELETE', `/api/apikeys/${created.body.info.id}`)).status).toBe(204);
      expect((await machine.request('GET', '/api/printers', undefined, { 'x-api-key': key })).status).toBe(
        401,
      );
    });

    it('lets only admins manage users', async () => {
      const vic = await ApiClient.login(h.base, 'vic', 'vic-password-123');
      expect((await vic.get('/api/users')).status).toBe(403);
      const added = await admin.post('/api/users', { name: 'newbie', role: 'maker' });
      expect(added.status).toBe(201);
      expect(added.body.generatedPassword).toHaveLength(32);
      expect((await ApiClient.login(h.base, 'newbie', added.body.generatedPassword)).csrf).toBeTruthy();
      expect((await admin.post('/api/users', { name: 'newbie', role: 'maker' })).status).toBe(409);
      expect((await admin.request('DELETE', '/api/users/admin')).body.error.message).toMatch(/last admin/);
    });
  });

  describe('printers', () => {
    it('lists what the agent published, newest seq wins', async () => {
      const printing = await agent.state('mk3-a', 'printing', {
        displayName: 'Prusa MK3 A',
        job: { id: 'job-1', progress: 10 },
      });
      await live.nextPrinter('mk3-a', (p) => p.state.seq === printing.seq);
      // A stale (replayed) state with a lower seq and an older timestamp is dropped.
      const stale = {
        ...printing,
        state: 'ready',
        seq: printing.seq - 1,
        ts: new Date(Date.parse(printing.ts) - 1000).toISOString(),
      };
      await h.agent.client.publishAsync('printfleet/v1/printers/mk3-a/state', JSON.stringify(stale), {
        qos: 1,
        retain: true,
      });
      await agent.telemetry('mk3-a', [214.8, 215], [60, 60], {
        id: 'job-1',
        progress: 10,
        elapsedS: 60,
        remainingS: 540,
      });
      await live.nextPrinter('mk3-a', (p) => p.telemetry !== null);
      const res = await admin.get('/api/printers');
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({
        printerId: 'mk3-a',
        agent: 'online',
        state: { state: 'printing', seq: printing.seq },
      });
      expect(res.body[0].telemetry.heaters.tool0).toEqual({ actual: 214.8, target: 215 });
      expect((await admin.get('/api/printers/nope')).status).toBe(404);
    });

    it('flags the state as not current and drops telemetry when the agent goes offline', async () => {
      await agent.online('offline');
      const view = await live.nextPrinter('mk3-a', (p) => p.agent === 'offline');
      expect(view.telemetry).toBeNull();
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const refused = await olga.post('/api/printers/mk3-a/commands/pause');
      expect(refused.status).toBe(503);
      expect(refused.body.error.message).toMatch(/agent pi-1 is offline/);
      await agent.online();
      // After the agent restarts its seq counts from 1 again; that state is taken.
      const restarted = await h.agent.client.publishAsync(
        'printfleet/v1/printers/mk3-a/state',
        JSON.stringify({
          printerId: 'mk3-a',
          agentId: 'pi-1',
          state: 'printing',
          seq: 1,
          ts: new Date().toISOString(),
          job: { id: 'job-1', progress: 12 },
        }),
        { qos: 1, retain: true },
      );
      expect(restarted).toBeDefined();
      await live.nextPrinter('mk3-a', (p) => p.agent === 'online' && p.state.seq === 1);
    });
  });

  describe('commands', () => {
    it('publishes the command with a fresh commandId and requestedBy, and returns the agent’s reply', async () => {
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const topic = printerCommandTopic('mk3-a', 'cancel');
      const answered = h.agent.waitFor(topic).then(async (m) => {
        const cmd = m.json<{ commandId: string }>();
        await h.agent.client.publishAsync(
          printerCommandReplyTopic('mk3-a', 'cancel'),
          JSON.stringify({ commandId: cmd.commandId, accepted: true }),
          { qos: 1 },
        );
        return m;
      });
      const res = await olga.post('/api/printers/mk3-a/commands/cancel', {
        reason: 'spaghetti',
        commandId: 'forged',
        requestedBy: 'someone-else',
      });
      const sent = await answered;
      const payload = sent.json<Record<string, unknown>>();
      expect(sent.retain).toBe(false);
      expect(payload).toEqual({
        commandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        requestedBy: 'olga',
        reason: 'spaghetti',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ commandId: payload.commandId, accepted: true });
    });

    it('passes a refusal from the agent on with its reason', async () => {
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      void h.agent
        .waitFor(printerCommandTopic('mk3-a', 'resume'))
        .then((m) =>
          h.agent.client.publishAsync(
            printerCommandReplyTopic('mk3-a', 'resume'),
            JSON.stringify({
              commandId: m.json<{ commandId: string }>().commandId,
              accepted: false,
              reason: 'not paused',
            }),
            { qos: 1 },
          ),
        );
      const res = await olga.post('/api/printers/mk3-a/commands/resume');
      expect(res.body).toMatchObject({ accepted: false, reason: 'not paused' });
    });

    it('answers 504 with a clear message when the agent never replies', async () => {
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const res = await olga.post('/api/printers/mk3-a/commands/clear');
      expect(res.status).toBe(504);
      expect(res.body.error).toEqual({
        code: 'COMMAND_TIMEOUT',
        message: expect.stringMatching(/mk3-a did not answer "clear" within 1.5 s/),
      });
    });

    it('validates the body against the command schema and knows its verbs', async () => {
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const bad = await admin.post('/api/printers/mk3-a/commands/gcode', { lines: ['G28\nM112'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/lines\.0: one G-code line per entry/);
      expect((await olga.post('/api/printers/mk3-a/commands/explode')).status).toBe(404);
      expect((await olga.post('/api/printers/ghost/commands/pause')).status).toBe(404);
    });

    it('forbids viewers, and makers until job ownership is known, with a reason', async () => {
      const vic = await ApiClient.login(h.base, 'vic', 'vic-password-123');
      const v = await vic.post('/api/printers/mk3-a/commands/pause');
      expect(v.status).toBe(403);
      expect(v.body.error.message).toMatch(/viewers can watch printers but not command them/);
      const mia = await ApiClient.login(h.base, 'mia', 'mia-password-123');
      const m = await mia.post('/api/printers/mk3-a/commands/pause');
      expect(m.status).toBe(403);
      expect(m.body.error.message).toMatch(/only their own jobs/);
      expect(h.agent.received(printerCommandTopic('mk3-a', 'pause'))).toHaveLength(0);
    });

    it('keeps raw G-code (the console) for admins: an operator gets 403 and nothing is published', async () => {
      const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
      const res = await olga.post('/api/printers/mk3-a/commands/gcode', { lines: ['M105'] });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/only admins may send raw G-code/) });
      expect(h.agent.received(printerCommandTopic('mk3-a', 'gcode'))).toHaveLength(0);
    });
  });

  describe('live socket and docs', () => {
    it('refuses the live socket without a session, or from another origin', async () => {
      await expect(LiveProbe.connect(h.base, '')).rejects.toThrow('upgrade refused: 401');
      await expect(LiveProbe.connect(h.base, 'pf_session=forged')).rejects.toThrow('upgrade refused: 401');
    });

    it('serves the OpenAPI document to logged-in users', async () => {
      const doc = await admin.get('/api/docs/openapi.json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/printers', '/api/printers/{id}/commands/{verb}']),
      );
      expect((await admin.get('/api/docs')).body).toContain('swagger-ui');
    });
  });
});
