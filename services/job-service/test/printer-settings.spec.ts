import { decodePayload, printerSettingsSchema, printerSettingsTopic, TOPIC_PATTERNS, type PrinterSettings } from '@printfleet/contracts';
import { MqttProbe, createTempDir, startTestBroker, type ReceivedMessage, type TestBroker } from '@printfleet/testing';
import { PrinterRepository, type ObservedState } from '../src/printers/printer.repository';
import type { PrinterRecord } from '../src/printers/printer.types';
import { FakeAgent } from './fake-agent';
import { startJobService, type RunningJobService } from './harness';

const PAUSE = ['M117 Paused', 'G91', 'G1 Z10 F600', 'G90'];
const CANCEL = ['M104 S0', 'M140 S0', 'G28 X Y'];

/** The payload, checked against the contract (a test fails on anything the agent would refuse). */
function settingsIn(m: ReceivedMessage): PrinterSettings {
  const decoded = decodePayload(printerSettingsSchema, m.payload);
  if (!decoded.ok) throw new Error(`invalid printer settings on ${m.topic}: ${decoded.error}`);
  return decoded.value;
}

/** An agent-role client (agents read the internal tree), subscribed to every printer's settings. */
interface SettingsReader {
  probe: MqttProbe;
  /** The first settings message (not a hand-made clear) on that printer's topic that passes `predicate`. */
  next(printerId: string, predicate?: (s: PrinterSettings) => boolean): Promise<ReceivedMessage>;
  /** Every settings message so far for that printer, hand-made clears (empty payloads) left out. */
  all(printerId: string): PrinterSettings[];
  /** The QoS a message was delivered at: 1 only if it was published at QoS 1. */
  qosOf(m: ReceivedMessage): number;
}

describe('printer settings for the agents (name, pause and cancel scripts)', () => {
  let broker: TestBroker;
  let dir: { path: string; remove(): void };
  let svc: RunningJobService;
  let agent: FakeAgent;
  let reader: SettingsReader;
  const probes: MqttProbe[] = [];

  const settingsReader = async (agentId: string): Promise<SettingsReader> => {
    const probe = await MqttProbe.connect(broker.url, await broker.account('agent', undefined, agentId));
    probes.push(probe);
    // Registered after the probe's own listener: qos[i] belongs to probe.messages[i].
    const qos: number[] = [];
    probe.client.on('message', (_topic, _payload, packet) => qos.push(packet.qos));
    expect(await probe.subscribe(TOPIC_PATTERNS.printerSettings)).toEqual([1]);
    return {
      probe,
      next: (printerId, predicate = () => true) => probe.waitFor(printerSettingsTopic(printerId), (m) => m.payload.length > 0 && predicate(settingsIn(m))),
      all: (printerId) => probe.received(printerSettingsTopic(printerId)).filter((m) => m.payload.length > 0).map(settingsIn),
      qosOf: (m) => qos[probe.messages.indexOf(m)]!,
    };
  };
  const put = (id: string, body: unknown) => svc.json<PrinterRecord>(`/printers/${encodeURIComponent(id)}/profile`, { method: 'PUT', body });
  const printer = async (id: string) => (await svc.json<{ items: PrinterRecord[] }>('/printers')).body.items.find((p) => p.id === id);
  /**
   * Publishes a state as the agent and resolves once the service has recorded it. `settle()`
   * alone would race: it covers only messages that reached the service already. The real
   * repository does the work; the wrapper only tells when it is done.
   */
  const agentState = async (printerId: string, displayName: string) => {
    const repo = svc.app.get(PrinterRepository);
    const observe = repo.observe;
    const recorded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => ((repo.observe = observe), reject(new Error(`state of ${printerId} not recorded within 10 s`))), 10_000);
      repo.observe = async (s: ObservedState) => {
        await observe.call(repo, s);
        if (s.printerId !== printerId || s.displayName !== displayName) return;
        clearTimeout(timer);
        repo.observe = observe;
        resolve();
      };
    });
    await agent.state(printerId, 'ready', { displayName });
    await recorded;
  };
  /** Empties the retained settings of `printerId` as an admin could by hand (only a job-service account may). */
  const clearRetained = async (printerId: string) => {
    const hand = await MqttProbe.connect(broker.url, await broker.account('job-service'));
    await hand.client.publishAsync(printerSettingsTopic(printerId), '', { qos: 1, retain: true });
    await hand.close();
  };

  beforeEach(async () => {
    broker = await startTestBroker();
    dir = createTempDir();
    svc = await startJobService(broker, dir.path);
    agent = await FakeAgent.connect(broker, 'pi-1');
    reader = await settingsReader('reader-1');
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) await p.close();
    await agent.close();
    await svc.stop();
    await broker.close();
    dir.remove();
  });

  it('publishes the scripts retained at QoS 1 after each save; a field left out is kept', async () => {
    await agentState('p1', 'Left MK3');
    const saved = await put('p1', { pauseScript: PAUSE, cancelScript: CANCEL });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: 'p1', displayName: 'Left MK3', nameOverride: null, agentName: 'Left MK3', pauseScript: PAUSE, cancelScript: CANCEL });
    expect(await printer('p1')).toEqual(saved.body);
    const live = await reader.next('p1');
    // The agent's own name is no operator setting: it is not sent back to the agent.
    expect(settingsIn(live)).toEqual({ printerId: 'p1', displayName: null, pauseScript: PAUSE, cancelScript: CANCEL, updatedAt: saved.body.updatedAt });
    expect(reader.qosOf(live)).toBe(1);

    // Retained: an agent that subscribes later gets it, flagged as such.
    const late = await settingsReader('reader-2');
    const replayed = await late.next('p1');
    expect(replayed.retain).toBe(true);
    expect(settingsIn(replayed)).toEqual(settingsIn(live));

    // Absent fields are kept, and every save publishes the settings as they now are.
    const moved = await put('p1', { location: 'Room 2' });
    expect(moved.body).toMatchObject({ location: 'Room 2', pauseScript: PAUSE, cancelScript: CANCEL });
    await reader.probe.waitFor(printerSettingsTopic('p1'), (m) => reader.probe.received(m.topic).indexOf(m) === 1);
    expect(reader.all('p1')).toEqual([settingsIn(live), settingsIn(live)]);
  });

  it('clears with null: the agent is sent nulls, so it drops what it had', async () => {
    const set = await put('p1', { displayName: 'Left MK3', pauseScript: PAUSE, cancelScript: CANCEL });
    expect(set.body).toMatchObject({ displayName: 'Left MK3', nameOverride: 'Left MK3', pauseScript: PAUSE });
    expect(settingsIn(await reader.next('p1'))).toMatchObject({ displayName: 'Left MK3', pauseScript: PAUSE, cancelScript: CANCEL });

    const cleared = await put('p1', { displayName: null, pauseScript: null, cancelScript: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ displayName: null, nameOverride: null, pauseScript: null, cancelScript: null });
    const nulls = { printerId: 'p1', displayName: null, pauseScript: null, cancelScript: null, updatedAt: cleared.body.updatedAt };
    expect(settingsIn(await reader.next('p1', (s) => s.pauseScript === null))).toEqual(nulls);
    const late = await settingsReader('reader-2');
    const replayed = await late.next('p1');
    expect(replayed.retain).toBe(true);
    expect(settingsIn(replayed)).toEqual(nulls);
  });

  it('publishes the settings again when it restarts and when the broker lost them', async () => {
    const saved = await put('p1', { displayName: 'Left MK3', pauseScript: PAUSE });
    await reader.next('p1');
    const expected = { printerId: 'p1', displayName: 'Left MK3', pauseScript: PAUSE, cancelScript: null, updatedAt: saved.body.updatedAt };

    await svc.stop();
    await clearRetained('p1');
    await reader.probe.waitFor(printerSettingsTopic('p1'), (m) => m.payload.length === 0);
    // Subscribed with nothing retained: whatever it gets, the restarted service published.
    const fresh = await settingsReader('reader-2');
    svc = await startJobService(broker, dir.path);
    expect(settingsIn(await fresh.next('p1'))).toEqual(expected);

    // A broker restart loses every retained message; the service re-publishes once reconnected.
    await broker.restart();
    const afterBroker = await settingsReader('reader-3');
    expect(settingsIn(await afterBroker.next('p1'))).toEqual(expected);
  });

  it('refuses bad scripts with the field named, and stores and publishes nothing of them', async () => {
    expect((await put('p1', { pauseScript: ['G28'] })).status).toBe(200);
    await reader.next('p1');
    const refused = async (body: unknown, message: RegExp, id = 'p1') => {
      const r = await svc.json<{ error: { code: string; message: string } }>(`/printers/${encodeURIComponent(id)}/profile`, { method: 'PUT', body });
      expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 400, code: 'INVALID_INPUT' });
      expect(r.body.error.message).toMatch(message);
    };
    await refused({ pauseScript: ['G28', 'G1 Z5\nM112'] }, /^pauseScript\.1: one G-code line per entry, without line breaks$/);
    await refused({ cancelScript: Array.from({ length: 51 }, (_, i) => `G4 P${i}`) }, /^cancelScript: a script has at most 50 lines$/);
    await refused({ pauseScript: ['G28', '   '] }, /^pauseScript\.1: a script line cannot be blank$/);
    await refused({ cancelScript: [] }, /^cancelScript: a script has at least one line/);
    await refused({ pauseScript: 'G28\nG1 Z5' }, /^pauseScript: /);
    await refused({ pauseScript: [`M117 ${'x'.repeat(252)}`] }, /^pauseScript\.0: /);
    // One bad field spoils the whole body: the good ones are not applied either.
    await refused({ location: 'Room 9', cancelScript: ['M84', 'G1 X0\rG1 Y0'] }, /^cancelScript\.1: /);
    // The id becomes a topic level: refused before anything is stored.
    await refused({ pauseScript: ['M84'] }, /printer id "a b" is not valid/, 'a b');

    expect(await printer('p1')).toMatchObject({ location: null, pauseScript: ['G28'], cancelScript: null });
    expect(await printer('a b')).toBeUndefined();
    // Published in order: had a refused body been published, it would come before this save's.
    await put('p1', { cancelScript: ['M84'] });
    await reader.next('p1', (s) => s.cancelScript !== null);
    expect(reader.all('p1').map((s) => [s.pauseScript, s.cancelScript])).toEqual([
      [['G28'], null],
      [['G28'], ['M84']],
    ]);
  });

  it("keeps the operator's name apart from the agent's, through the agent's echo, a clear and a restart", async () => {
    await agentState('p0', 'Agent only');
    await agentState('p1', 'Agent name');
    expect(await printer('p1')).toMatchObject({ displayName: 'Agent name', nameOverride: null, agentName: 'Agent name' });

    const named = await put('p1', { displayName: 'Operator name' });
    expect(named.body).toMatchObject({ displayName: 'Operator name', nameOverride: 'Operator name', agentName: 'Agent name' });
    const first = settingsIn(await reader.next('p1'));
    expect(first).toMatchObject({ displayName: 'Operator name', pauseScript: null, cancelScript: null });

    // The agent applies it, so its state now carries the operator's name: no new name of its own.
    await agentState('p1', 'Operator name');
    expect(await printer('p1')).toMatchObject({ displayName: 'Operator name', nameOverride: 'Operator name', agentName: 'Agent name' });

    // Cleared: users see the agent's own name at once (not the echo), the agent is told to drop it.
    const cleared = await put('p1', { displayName: null });
    expect(cleared.body).toMatchObject({ displayName: 'Agent name', nameOverride: null, agentName: 'Agent name' });
    const second = settingsIn(await reader.next('p1', (s) => s.displayName === null));
    // Exactly two: recording the echoed state published nothing (no loop).
    expect(reader.all('p1')).toEqual([first, second]);

    // Back to its own name, the agent's name stays the agent's: never an override.
    await agentState('p1', 'Agent name');
    expect(await printer('p1')).toMatchObject({ displayName: 'Agent name', nameOverride: null, agentName: 'Agent name' });
    expect(reader.all('p0')).toEqual([]);

    // A restart re-publishes p1's cleared settings, unchanged (the agent's states moved the row,
    // not the settings' updatedAt), and nothing for p0, whose only name is the agent's.
    await svc.stop();
    await clearRetained('p1');
    const fresh = await settingsReader('reader-2');
    svc = await startJobService(broker, dir.path);
    expect(settingsIn(await fresh.next('p1'))).toEqual(second);
    // Re-published in id order, one at a time: anything for p0 would have come first.
    expect(fresh.probe.received(printerSettingsTopic('p0'))).toEqual([]);
  });
});
