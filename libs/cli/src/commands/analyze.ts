import { parseArgs } from 'node:util';
import { analyzeFile, formatSummary, isGcodeError, toJson } from '@printfleet/gcode';
import { UsageError } from '../usage-error';

const USAGE = 'usage: printfleet analyze FILE [--json]';

/** `printfleet analyze FILE [--json]`: the gcode lib's analysis, as JSON or a readable summary. */
export async function analyzeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [file, extra] = positionals;
  if (!file || extra) throw new UsageError(USAGE);
  try {
    const result = await analyzeFile(file);
    process.stdout.write(values.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : `${formatSummary(result)}\n`);
  } catch (err) {
    if (isGcodeError(err)) throw new UsageError(`${file}: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    throw err;
  }
}
