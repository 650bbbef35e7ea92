import { join } from 'node:path';
import { printerCommandReplyTopic, printerCommandTopic, printerStateTopic, type CommandReply } from '@printfleet/contracts';
import { startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { createTempDir } from '@printfleet/testing';
import { fastSim, startWorld, type World } from './harness';

describe('commands: validated, refused with a reason, idempotent', () => {
  let world: World;
  let sim: RunningSimulator;
  const tmp = createTempDir('printfleet-cmd-');

  beforeAll(async () => {
    world = await startWorld();
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'rep'), dialect: 'repetier' }));
    await world.startAgent([`rep=${sim.path}`]);
    await world.waitState('rep', 'ready');
  });

  afterAll(async () => {
    await world.close();
    await sim.close();
    tmp.remove();
  });

  it('answers a payload that is not JSON, or misses fields, with the reason, and changes nothing', async () => {
    const seq = world.states('rep').at(-1)!.seq;
    const replies = printerCommandReplyTopic('rep', 'start');
    const mark = world.mark();
    await world.probe.client.publishAsync(printerCommandTopic('rep', 'start'), 'not json', { qos: 1 });
    const bad = (await world.probe.waitFor(replies, (m) => world.probe.messages.indexOf(m) >= mark)).json<CommandReply>();
    expect(bad).toEqual({ commandId: null, accepted: false, reason: expect.stringMatching(/not JSON/) });

    const reply = await world.command('rep', 'start', { jobId: 'j', file: { id: 'f', name: 'x', sha256: 'nope', size: 1, url: 'ftp://x' } });
    expect(reply.accepted).toBe(false);
    expect(reply.reason).toMatch(/file\.sha256/);
    expect(reply.reason).toMatch(/file\.url/);
    expect(world.states('rep').at(-1)!.seq).toBe(seq);
  });

  it('refuses what does not apply in the current state, saying why', async () => {
    expect(await world.command('rep', 'pause', {})).toMatchObject({ accepted: false, reason: expect.stringMatching(/while the printer is ready/) });
    expect(await world.command('rep', 'clear', {})).toMatchObject({ accepted: false });
  });

  it('refuses a file whose hash does not match, without starting anything', async () => {
    const file = world.files.add('liar', 'G28\n');
    const reply = await world.command('rep', 'start', { jobId: 'j-hash', file: { ...file, sha256: 'a'.repeat(64) } });
    expect(reply).toMatchObject({ accepted: false, reason: expect.stringMatching(/sha256 mismatch/) });
    expect(world.states('rep').at(-1)!.state).toBe('ready');
  });

  it('a repeated commandId gets the same reply and no second action', async () => {
    const file = world.files.add('tiny', 'G90\nG1 X10 F6000\nG1 X20\n');
    const mark = sim.record.length;
    const first = await world.command('rep', 'start', { commandId: 'same-1', jobId: 'once', file });
    await world.waitState('rep', 'finished');
    const again = await world.command('rep', 'start', { commandId: 'same-1', jobId: 'once', file });
    expect(again).toEqual(first);
    expect(first.accepted).toBe(true);
    expect(sim.record.since(mark).filter((e) => e.command.startsWith('G1')).length).toBe(2);
    expect(world.probe.received(printerStateTopic('rep')).filter((m) => m.json<{ state: string }>().state === 'printing')).toHaveLength(1);
  });
});
