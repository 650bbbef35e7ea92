import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@printfleet/config';
import { startSimulator, type DialectName } from '@printfleet/printer-sim';
import { startCommand } from './start';

/** One printer per firmware the agent speaks, so the demo shows all three dialects. */
const DEMO_PRINTERS: { name: string; dialect: DialectName; advancedOk: boolean }[] = [
  { name: 'demo-marlin', dialect: 'marlin', advancedOk: true },
  { name: 'demo-prusa', dialect: 'prusa', advancedOk: false },
  { name: 'demo-repetier', dialect: 'repetier', advancedOk: false },
];

/**
 * `printfleet demo`: three simulated printers on PTYs under `<dataDir>/demo/`, then the same as
 * `printfleet start` with PRINTFLEET_PORTS naming them. The simulators live in this process and
 * stop with it.
 */
export async function demoCommand(): Promise<void> {
  const config = loadConfig();
  const dir = join(config.dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const ports: string[] = [];
  for (const p of DEMO_PRINTERS) {
    const sim = await startSimulator({ path: join(dir, p.name), dialect: p.dialect, advancedOk: p.advancedOk, bootMs: 500 });
    ports.push(`${p.name}=${sim.path}`);
    // The launcher ends with process.exit(): stop each socat then (close() kills it synchronously).
    process.once('exit', () => void sim.close());
    process.stdout.write(`[demo]          ${p.dialect} printer "${p.name}" on ${sim.path}\n`);
  }
  const extra = process.env.PRINTFLEET_PORTS ? [process.env.PRINTFLEET_PORTS] : [];
  await startCommand({ PRINTFLEET_PORTS: [...extra, ...ports].join(',') });
}
