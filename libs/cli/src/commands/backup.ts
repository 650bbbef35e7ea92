import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@printfleet/config';
import { backupDatabase } from '@printfleet/job-service';
import { UsageError } from '../usage-error';

/**
 * `printfleet backup [TARGET]`: a consistent copy of the job-service database, safe while the
 * system runs. Default target: `<data>/backups/printfleet-<UTC time>.sqlite`.
 */
export async function backupCommand(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError('usage: printfleet backup [TARGET]');
  const { dataDir } = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = positionals[0] ?? join(dataDir, 'backups', `printfleet-${stamp}.sqlite`);
  try {
    const done = await backupDatabase(dataDir, target);
    process.stdout.write(`database backed up to ${done.target}\nfiles: copy ${join(dataDir, 'files')} as plain files (content-addressed, never rewritten)\n`);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
