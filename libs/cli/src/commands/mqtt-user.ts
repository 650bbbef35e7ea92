import { parseArgs } from 'node:util';
import { loadConfig } from '@printfleet/config';
import { ID_RULE, isValidId } from '@printfleet/contracts';
import { AccountStore, PUBLIC_ROLES, type PublicRole } from '@printfleet/mqtt-accounts';
import { UsageError } from '../usage-error';

const USAGE = `usage: printfleet mqtt-user add NAME --role observer|controller [--password PW]
       printfleet mqtt-user add NAME --role agent --agent-id ID [--password PW]   (a printer-agent on another host)
       printfleet mqtt-user list
       printfleet mqtt-user remove NAME`;

/** Accounts for people and tools on the embedded broker; services get theirs automatically. */
export async function mqttUserCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, password: { type: 'string' }, 'agent-id': { type: 'string' } },
  });
  const [action, name] = positionals;
  const store = new AccountStore(loadConfig().dataDir);
  switch (action) {
    case 'add': {
      if (!name) throw new UsageError(USAGE);
      const role = values.role as PublicRole | 'agent';
      if (!PUBLIC_ROLES.includes(role as PublicRole) && role !== 'agent')
        throw new UsageError(`--role must be one of: ${[...PUBLIC_ROLES, 'agent'].join(', ')}\n${USAGE}`);
      if (role === 'agent' && !isValidId(values['agent-id'])) throw new UsageError(`--agent-id: ${ID_RULE}\n${USAGE}`);
      const password = await store.add(name, role, { password: values.password, agentId: values['agent-id'] });
      process.stdout.write(`MQTT user ${name} (${values.role}) saved.\n`);
      if (!values.password) process.stdout.write(`password: ${password}\n(shown once: store it now)\n`);
      return;
    }
    case 'list':
      for (const a of store.list()) process.stdout.write(`${a.username}\t${a.role}${a.agentId ? `\t${a.agentId}` : ''}\n`);
      return;
    case 'remove':
      if (!name) throw new UsageError(USAGE);
      if (!store.remove(name)) throw new UsageError(`no MQTT user named ${name}`);
      process.stdout.write(`MQTT user ${name} removed.\n`);
      return;
    default:
      throw new UsageError(USAGE);
  }
}
