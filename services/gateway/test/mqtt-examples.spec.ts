import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commandReplySchema, TOPIC_PATTERNS } from '@printfleet/contracts';
import { MqttProbe, type Credentials } from '@printfleet/testing';
import { startCommandResponder } from './support/command-responder';
import { FakeAgent } from './support/fake-agent';
import { startGateway, type Harness } from './support/gateway-harness';
import { MosquittoSub, mosquittoPub } from './support/mosquitto';

const PAGE = resolve(__dirname, '../../../docs/mqtt-examples.md');

/** The ```sh block after each `<!-- test -->` marker: one command per line, `\` continues a line. */
function markedBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/<!-- test -->\s*\n```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1]!
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}

/** Splits a command line as a POSIX shell would for these examples: quotes and `$VAR` only. */
function shellWords(line: string, vars: Record<string, string>): string[] {
  const words: string[] = [];
  const expand = (s: string) =>
    s.replace(/\$\{?([A-Z_]+)\}?/g, (_, name: string) => {
      if (!(name in vars)) throw new Error(`unknown variable $${name} in: ${line}`);
      return vars[name]!;
    });
  for (const [, single, double, bare] of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    if (single !== undefined) words.push(single);
    else if (double !== undefined) words.push(expand(double.replace(/\\(.)/g, '$1')));
    else if (/['"]/.test(bare!)) throw new Error(`quotes inside a word are not supported here: ${line}`);
    else words.push(expand(bare!));
  }
  return words;
}

/**
 * docs/mqtt-examples.md, run as written: a real broker and gateway (Home Assistant discovery
 * on), a fake agent with the printer-agent's CommandRouter answering commands, and every
 * marked block run with Debian's mosquitto clients. In a block, `mosquitto_sub` lines run in
 * the background (a second terminal) and must each receive a message; `mosquitto_pub` lines
 * run once they are subscribed.
 */
describe('docs/mqtt-examples.md', () => {
  const blocks = markedBlocks(readFileSync(PAGE, 'utf8'));
  let h: Harness;
  let agent: FakeAgent;
  let login: Credentials;

  beforeAll(async () => {
    h = await startGateway();
    agent = new FakeAgent(h.agent);
    await startCommandResponder(agent, 'mk3-a');
    login = await h.broker.account('controller', 'ha');
    const observer = await MqttProbe.connect(h.broker.url, await h.broker.account('observer'));
    await observer.subscribe(TOPIC_PATTERNS.homeassistant);
    await agent.online();
    await agent.state('mk3-a', 'printing', { job: { id: 'job-1', progress: 12, fileName: 'benchy.gcode' } });
    await observer.waitFor('homeassistant/button/printfleet_mk3-a/cancel/config');
    await observer.close();
  });

  afterAll(() => h?.close());

  it('has marked blocks for state, telemetry, a command with its reply, a rejection and Home Assistant', () => {
    const text = blocks.flat().join('\n');
    for (const needed of ['/state', '/telemetry', '/cmd/pause/reply', '/cmd/resume', 'homeassistant/'])
      expect(text).toContain(needed);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('runs block %i as written', async (_n, lines) => {
    const { hostname, port } = new URL(h.broker.url);
    const vars = { MQTT_HOST: hostname, MQTT_PORT: port, MQTT_USER: login.username, MQTT_PASS: login.password };
    const commands = lines.map((l) => shellWords(l, vars));
    for (const [program] of commands) expect(['mosquitto_sub', 'mosquitto_pub']).toContain(program);

    const subs = commands
      .filter(([program]) => program === 'mosquitto_sub')
      .map(([, ...args]) => new MosquittoSub(h.broker, [...args, ...(args.includes('-C') ? [] : ['-C', '1']), '-W', '10']));
    await Promise.all(subs.map((s) => s.ready));
    // Telemetry is not retained: the fake agent sends one reading once everyone listens.
    await agent.telemetry('mk3-a', [214.6, 215], [60.1, 60], { id: 'job-1', progress: 12, elapsedS: 300, remainingS: 2200 });
    const published: Record<string, unknown>[] = [];
    for (const [, ...args] of commands.filter(([program]) => program === 'mosquitto_pub')) {
      await mosquittoPub(args);
      published.push(JSON.parse(args[args.indexOf('-m') + 1]!) as Record<string, unknown>);
    }
    const received = (await Promise.all(subs.map((s) => s.done))).flat();

    expect(received.length).toBeGreaterThanOrEqual(subs.length);
    for (const reply of received.filter((m) => m.topic.endsWith('/reply'))) {
      const parsed = commandReplySchema.parse(JSON.parse(reply.payload));
      const sent = published.find((p) => p.commandId === parsed.commandId);
      // A command with an id is accepted here; one without is refused, with the reason.
      if (sent) expect(parsed).toEqual({ commandId: sent.commandId, accepted: true });
      else expect(parsed).toMatchObject({ commandId: null, accepted: false, reason: expect.stringContaining('commandId') });
    }
    for (const config of received.filter((m) => m.topic.startsWith('homeassistant/')))
      expect(JSON.parse(config.payload)).toMatchObject({ unique_id: expect.stringMatching(/^printfleet_mk3-a_/) });
  });
});
