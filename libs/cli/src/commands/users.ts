import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '@printfleet/config';
import { addUser, createApiKey, GatewayError, removeUser, ROLES, setPassword } from '@printfleet/gateway';
import { UsageError } from '../usage-error';

const USER_USAGE = [
  'usage: printfleet user add NAME --role admin|operator|maker|viewer [--password PW]',
  '       printfleet user passwd NAME [--password PW]',
  '       printfleet user rm NAME',
].join('\n');
const APIKEY_USAGE = 'usage: printfleet apikey create --user NAME [--label TEXT] [--printer ID]';

/** The gateway's refusals (bad name, short password, existing user) are the user's to fix. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof GatewayError) throw new UsageError(err.message);
    throw err;
  }
}

/** parseArgs, its refusals (an option without its value, an unknown option) told as usage errors, not stack traces. */
function parse<O extends ParseArgsConfig['options']>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(`${(err as Error).message}\n${usage}`);
    throw err;
  }
}

/** `printfleet user add|passwd|rm ...`: the `user` subcommand dispatcher. */
export function userCommand(argv: string[]): Promise<void> {
  switch (argv[0]) {
    case 'add':
      return userAddCommand(argv);
    case 'passwd':
      return userPasswdCommand(argv);
    case 'rm':
      return userRmCommand(argv);
    default:
      throw new UsageError(USER_USAGE);
  }
}

/** `printfleet user add NAME --role ROLE [--password PW]`: prints the password when it generated one. */
export async function userAddCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { role: { type: 'string' }, password: { type: 'string' } }, USER_USAGE);
  const [action, name, extra] = positionals;
  if (action !== 'add' || !name || extra) throw new UsageError(USER_USAGE);
  if (!values.role || !(ROLES as readonly string[]).includes(values.role))
    throw new UsageError(`--role must be one of: ${ROLES.join(', ')}\n${USER_USAGE}`);
  const { dataDir } = loadConfig();
  const user = await asUsage(() => addUser(dataDir, name, values.role!, values.password));
  process.stdout.write(`user ${user.name} (${user.role}) added.\n`);
  if (user.generatedPassword)
    process.stdout.write(`password: ${user.generatedPassword}\n(shown once: store it now)\n`);
}

/**
 * `printfleet user passwd NAME [--password PW]`: ends the user's sessions; prints the password
 * when it generated one.
 */
export async function userPasswdCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { password: { type: 'string' } }, USER_USAGE);
  const [action, name, extra] = positionals;
  if (action !== 'passwd' || !name || extra) throw new UsageError(USER_USAGE);
  const { dataDir } = loadConfig();
  const changed = await asUsage(() => setPassword(dataDir, name, values.password));
  process.stdout.write(`password of ${changed.name} changed; their sessions are ended.\n`);
  if (changed.generatedPassword)
    process.stdout.write(`password: ${changed.generatedPassword}\n(shown once: store it now)\n`);
}

/** `printfleet user rm NAME`: removes the user, their sessions and API keys; never the last admin. */
export async function userRmCommand(argv: string[]): Promise<void> {
  const { positionals } = parse(argv, {}, USER_USAGE);
  const [action, name, extra] = positionals;
  if (action !== 'rm' || !name || extra) throw new UsageError(USER_USAGE);
  const { dataDir } = loadConfig();
  await asUsage(async () => {
    try {
      await removeUser(dataDir, name);
    } catch (err) {
      if (err instanceof GatewayError && err.code === 'CONFLICT')
        throw new GatewayError(err.code, `cannot remove ${name}: ${err.message}`);
      throw err;
    }
  });
  process.stdout.write(`user ${name} removed, with their sessions and API keys.\n`);
}

/**
 * `printfleet apikey create --user NAME [--label TEXT] [--printer ID]`: prints the key once; only
 * its hash is kept. With `--printer`, the key acts on that printer only (a slicer's "print" goes there).
 */
export async function apikeyCreateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { user: { type: 'string' }, label: { type: 'string' }, printer: { type: 'string' } },
    APIKEY_USAGE,
  );
  const [action, extra] = positionals;
  if (action !== 'create' || extra || !values.user) throw new UsageError(APIKEY_USAGE);
  const { dataDir } = loadConfig();
  const created = await asUsage(() =>
    createApiKey(dataDir, values.user!, values.label ?? 'cli', values.printer ?? null),
  );
  const scope = created.printerId ? ` (printer ${created.printerId} only)` : '';
  process.stdout.write(
    `API key ${created.id} for ${created.user}${scope}:\n${created.key}\n(shown once: send it as the X-Api-Key header)\n`,
  );
}
