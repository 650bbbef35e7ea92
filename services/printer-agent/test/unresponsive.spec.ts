import { join } from 'node:path';
import { printerStateTopic, type PrinterState } from '@printfleet/contracts';
import { startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { createTempDir } from '@printfleet/testing';
import { fastSim, startWorld, type World } from './harness';

describe('a printer that stops answering', () => {
  let world: World;
  let sim: RunningSimulator;
  const tmp = createTempDir('printfleet-silent-');

  beforeAll(async () => {
    // Short timeouts so that silence is noticed in seconds (probes after 400 ms); one baud rate per
    // try. The boot wait stays above socat's ~1 s poll for the PTY being opened (the DTR reset).
    world = await startWorld({
      baudRate: 115200,
      engine: { ackTimeoutMs: 400 },
      timings: { bootWaitMs: 1500, handshakeTimeoutMs: 1000, silenceMs: 600 },
      retryDelayMs: 300,
      maxRetryDelayMs: 1200,
    });
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'mk3'), dialect: 'marlin' }));
    await world.startAgent([`mk3=${sim.path}`]);
    await world.waitState('mk3', 'ready');
  });

  afterAll(async () => {
    await world.close();
    await sim.close();
    tmp.remove();
  });

  const statesSince = (t: number) =>
    world.probe
      .received(printerStateTopic('mk3'))
      .filter((m) => world.probe.messages.indexOf(m) >= t)
      .map((m) => m.json<PrinterState>());

  it('is in error with the reason while silent, tries again with growing waits, and is ready again by itself', async () => {
    const t = world.mark();
    // The printer's power switch, its USB adapter still powered by the host: the port stays open, the board is silent.
    sim.faults.powerOff();
    const error = await world.waitState('mk3', 'error', t);
    expect(error.reason).toMatch(/^the printer stopped answering \(no answer from the firmware/);
    expect((await world.waitEvent('mk3', 'printer.disconnected', t)).reason).toMatch(/stopped answering/);
    // Three failed tries: each is `connecting` then `error`, the wait before the next one doubling up to its cap.
    await world.probe.waitFor(printerStateTopic('mk3'), () => statesSince(t).filter((s) => s.state === 'error').length >= 4, 30_000);
    const off = statesSince(t);
    expect(off.map((s) => s.state).slice(0, 7)).toEqual(['error', 'connecting', 'error', 'connecting', 'error', 'connecting', 'error']);
    const waits = off.filter((s) => s.state === 'error').slice(1, 4).map((s) => /next try in ([\d.]+) s/.exec(s.reason ?? '')?.[1]);
    expect(waits).toEqual(['0.6', '1.2', '1.2']);
    for (const s of off.filter((x) => x.state === 'error').slice(1)) expect(s.reason).toMatch(/stopped answering .*; no firmware answered/);

    const on = world.mark();
    sim.faults.powerOn();
    const ready = await world.waitState('mk3', 'ready', on);
    expect(ready.firmware?.name).toMatch(/Marlin/);
    await world.waitEvent('mk3', 'printer.connected', on);
    // Nothing but error and connecting between the silence and the recovery.
    const all = statesSince(t).map((s) => s.state);
    expect(all.at(-1)).toBe('ready');
    expect(all.slice(0, -1).every((s) => s === 'error' || s === 'connecting')).toBe(true);
    expect(await world.command('mk3', 'gcode', { lines: ['M105'] })).toMatchObject({ accepted: true });
  });
});
