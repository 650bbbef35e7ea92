import { parseArgs } from 'node:util';
import type { DialectName } from '../core/dialect';
import { parseFaults } from '../core/faults';
import { startSimulator } from './pty';

export interface SimCliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Stops the simulator (default: SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const USAGE = `usage: printfleet sim [--port PATH] [--baud 115200|250000] [--latency MS] [--advanced-ok]
                     [--dialect marlin|prusa|repetier] [--boot MS] [--faults LIST]
  --faults  comma-separated key=value: corrupt-in=RATE, corrupt-out=RATE, drop-ok=RATE,
            disconnect-line=N, disconnect-after=30s, halt-line=N, halt-message=TEXT,
            runout-line=N, runaway-after=60s, seed=N
`;

const DIALECTS: DialectName[] = ['marlin', 'prusa', 'repetier'];

/** `printfleet sim`: one simulated printer on a PTY until interrupted. Returns the exit code. */
export async function runSimCli(argv: string[], io: SimCliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        baud: { type: 'string', default: '115200' },
        latency: { type: 'string', default: '2' },
        'advanced-ok': { type: 'boolean', default: false },
        dialect: { type: 'string', default: 'marlin' },
        boot: { type: 'string', default: '500' },
        faults: { type: 'string', default: '' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const baudRate = Number(values.baud);
  const latencyMs = Number(values.latency);
  const bootMs = Number(values.boot);
  const problems: string[] = [];
  if (!Number.isInteger(baudRate) || baudRate < 0) problems.push(`--baud: "${values.baud}" is not a baud rate`);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) problems.push(`--latency: "${values.latency}" is not a number of ms`);
  if (!Number.isFinite(bootMs) || bootMs < 0) problems.push(`--boot: "${values.boot}" is not a number of ms`);
  if (!DIALECTS.includes(values.dialect as DialectName)) problems.push(`--dialect: one of ${DIALECTS.join(', ')}`);
  let faults = {};
  try {
    faults = parseFaults(values.faults);
  } catch (e) {
    problems.push(`--faults: ${(e as Error).message}`);
  }
  if (problems.length > 0) {
    io.stderr.write(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }

  let sim;
  try {
    sim = await startSimulator({
      ...(values.port ? { path: values.port } : {}),
      baudRate,
      latencyMs,
      bootMs,
      advancedOk: values['advanced-ok'],
      dialect: values.dialect as DialectName,
      faults,
    });
  } catch (e) {
    io.stderr.write(`printfleet sim: ${(e as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`printfleet sim: ${values.dialect} printer on ${sim.path} (${baudRate} baud); Ctrl-C stops it\n`);

  await new Promise<void>((resolve) => {
    if (io.signal) {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  io.stdout.write(`printfleet sim: stopped after ${sim.record.length} commands\n`);
  return 0;
}
