import { SerialPort } from 'serialport';
import { numberedLine } from '../src/core/checksum';
import { startSimulator, type RunningSimulator } from '../src/adapters/pty';
import { runSimCli } from '../src/adapters/cli';
import { compareRecord } from '../src/core/record';
import { mkdtempSync } from 'node:fs';
import { closePort, LineClient } from './serial-client';

/** Open the simulator's PTY with the real serialport bindings, as the agent opens /dev/ttyUSB0. */
function within<T>(p: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function connect(sim: RunningSimulator): Promise<LineClient> {
  await within(sim.listening(), 'simulator listening');
  const opened = sim.nextOpen();
  const port = new SerialPort({ path: sim.path, baudRate: 115200 });
  await within(new Promise<void>((resolve, reject) => port.once('open', () => resolve()).once('error', reject)), 'port open');
  const client = new LineClient(port);
  await within(opened, 'socat seeing the open');
  await client.waitFor('start');
  await client.waitFor(/^echo:  M201/);
  return client;
}

describe('simulator on a real PTY through socat and serialport', () => {
  let sim: RunningSimulator;
  let client: LineClient;

  beforeEach(async () => {
    sim = await startSimulator({ bootMs: 20 });
    client = await connect(sim);
  });

  afterEach(async () => {
    await closePort(client.port);
    await sim.close();
  });

  it('boots with a banner on open and answers numbered lines', async () => {
    expect(client.lines[0]).toBe('start');
    expect(await client.request(numberedLine(1, 'M105'))).toMatch(/^ok T:\d+\.\d\d \/0\.00 B:/);
    expect(await client.request(numberedLine(2, 'G1 X10 F3000'))).toBe('ok');
    expect(sim.record.all().map((e) => [e.lineNumber, e.command])).toEqual([
      [1, 'M105'],
      [2, 'G1 X10 F3000'],
    ]);
  });

  it('a careful host gets a file through corrupted host bytes whole', async () => {
    sim.faults.set({ corruptInRate: 0.02, seed: 9 });
    const cmds = Array.from({ length: 30 }, (_, i) => `G1 X${i} Y${30 - i} F6000`);
    let next = 1;
    let resends = 0;
    while (next <= cmds.length) {
      const from = client.mark;
      client.port.write(numberedLine(next, cmds[next - 1]!) + '\n');
      // A corrupted newline leaves the line unanswered: resend it after a timeout.
      const reply = await client.waitFor(/^(ok|Resend: \d+)$/, from, 300).catch(() => 'timeout');
      if (reply.startsWith('Resend')) {
        resends++;
        next = Number(reply.slice(8));
        await client.waitFor('ok', from);
      } else if (reply === 'ok') next++;
    }
    expect(resends).toBeGreaterThan(0);
    const known = sim.record.all().filter((e) => e.known);
    expect(compareRecord(known, cmds)).toMatchObject({ whole: true });
  });

  it('corrupts printer lines and drops oks on demand', async () => {
    sim.faults.set({ corruptOutRate: 1 });
    const garbled = await client.request('M105', /./);
    expect(garbled).not.toMatch(/^ok T:\d+\.\d\d \/0\.00 B:\d+\.\d\d \/0\.00 @:0 B@:0$/);
    sim.faults.set({ corruptOutRate: 0, dropOkRate: 1 });
    const from = client.mark;
    client.port.write('G90\n');
    await expect(client.waitFor('ok', from, 300)).rejects.toThrow(/no line/);
    expect(sim.record.commands().at(-1)).toBe('G90');
    sim.faults.set({ dropOkRate: 0 });
    expect(await client.request('G91')).toBe('ok');
  });

  it('halts with an error at a given line', async () => {
    sim.faults.set({ haltAtLine: 2 });
    await client.request(numberedLine(1, 'G90'));
    const from = client.mark;
    client.port.write(numberedLine(2, 'G91') + '\n');
    await client.waitFor('Error:MAXTEMP triggered, system stopped! Heater_ID: 0', from);
    await client.waitFor('Error:Printer halted. kill() called!', from);
    expect(sim.printer.firmware.state).toBe('halted');
  });

  it('filament runout, thermal runaway and reset are visible to the host', async () => {
    let from = client.mark;
    sim.faults.filamentRunout();
    await client.waitFor('//action:pause', from);
    sim.faults.reset();
    await client.waitFor('start', from);
    from = client.mark;
    sim.faults.thermalRunaway();
    await client.waitFor('Error:Thermal Runaway, system stopped! Heater_ID: 0', from);
  });

  it('M112 halts; reopening the port resets the board', async () => {
    const from = client.mark;
    client.port.write('M112\n');
    await client.waitFor('Error:Printer halted. kill() called!', from);
    await closePort(client.port);
    client = await connect(sim);
    expect(await client.request(numberedLine(1, 'G90'))).toBe('ok');
  });

  it('a disconnect at a line closes the port under the host, and the device comes back', async () => {
    sim.faults.set({ disconnectAtLine: 2 });
    await client.request(numberedLine(1, 'G90'));
    const closed = new Promise<Error | null>((resolve) => client.port.once('close', (e: Error | null) => resolve(e)));
    client.port.write(numberedLine(2, 'G91') + '\n');
    const err = await within(closed, 'close after unplug');
    expect(err?.message ?? 'closed').toMatch(/disconnect|closed|Input\/output|EIO|bad file descriptor/i);
    sim.faults.set({ disconnectAtLine: undefined });
    // The "USB device" re-enumerates after reconnectMs (1 s by default).
    client = await connect(sim);
    expect(await client.request(numberedLine(1, 'M105'))).toMatch(/^ok T:/);
  });
});

describe('printfleet sim CLI', () => {
  it('serves a printer on the given port until stopped', async () => {
    const dir = mkdtempSync('/tmp/printfleet-cli-');
    const path = `${dir}/ttyCLI`;
    const out: string[] = [];
    const stop = new AbortController();
    const done = runSimCli(['--port', path, '--boot', '10', '--advanced-ok', '--faults', 'seed=3'], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
      signal: stop.signal,
    });
    for (let i = 0; i < 100 && !out.join('').includes(path); i++) await new Promise((r) => setTimeout(r, 20));
    const port = new SerialPort({ path, baudRate: 115200 });
    try {
      const client = new LineClient(port);
      await client.waitFor('start');
      expect(await client.request(numberedLine(1, 'M115'), /^ok/)).toBe('ok N1 P15 B3');
      expect(client.lines).toContain('Cap:ADVANCED_OK:1');
      expect(await client.request(numberedLine(2, 'G90'), /^ok/)).toBe('ok N2 P15 B3');
    } finally {
      await closePort(port);
      stop.abort();
    }
    expect(await done).toBe(0);
    expect(out.join('')).toMatch(/stopped after 2 commands/);
  });

  it('rejects bad options with a usage message', async () => {
    const err: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) } };
    expect(await runSimCli(['--dialect', 'grbl'], io)).toBe(2);
    expect(await runSimCli(['--faults', 'nope=1'], io)).toBe(2);
    expect(await runSimCli(['--port', '/tmp/x,exec=sh'], io)).toBe(1);
    expect(err.join('')).toMatch(/--dialect: one of marlin, prusa, repetier/);
    expect(err.join('')).toMatch(/unknown fault "nope"/);
    expect(err.join('')).toMatch(/may only hold/);
  });
});
