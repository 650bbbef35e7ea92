import { ConfigError } from '@printfleet/config';
import { AccountError } from '@printfleet/mqtt-accounts';
import { runSimCli } from '@printfleet/printer-sim';
import { analyzeCommand } from './commands/analyze';
import { demoCommand } from './commands/demo';
import { backupCommand } from './commands/backup';
import { mqttUserCommand } from './commands/mqtt-user';
import { startCommand } from './commands/start';
import { apikeyCreateCommand, userCommand } from './commands/users';
import { UsageError } from './usage-error';

const HELP = `printfleet: fleet manager for USB 3D printers

usage: printfleet <command> [options]

commands:
  start                       start broker, job-service, gateway and printer-agent
  demo                        the same, with three simulated printers (Marlin, Prusa, Repetier)
  mqtt-user add|list|remove   MQTT accounts for people and tools (observer, controller)
  user add NAME --role ROLE   a web/API user: admin, operator, maker or viewer [--password PW]
  user passwd NAME            set a user's password (generated and printed once) [--password PW]
  user rm NAME                remove a user with their sessions and API keys (never the last admin)
  apikey create --user NAME   an API key for scripts and slicers (printed once) [--printer ID]
  analyze FILE [--json]       what a G-code file will print: slicer, time, filament, size, thumbnails
  backup [TARGET]             copy the job database, safe while running
  sim --port PATH [options]   a simulated Marlin printer on a pseudo-terminal (see docs/simulator.md)
  help                        this text

Configuration comes from PRINTFLEET_* environment variables (see README).
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return startCommand();
    case 'demo':
      return demoCommand();
    case 'mqtt-user':
      return mqttUserCommand(rest);
    case 'user':
      return userCommand(rest);
    case 'apikey':
      return apikeyCreateCommand(rest);
    case 'analyze':
      return analyzeCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'sim': {
      const code = await runSimCli(rest);
      if (code !== 0) process.exit(code);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  const known = err instanceof UsageError || err instanceof ConfigError || err instanceof AccountError;
  process.stderr.write(`${known ? err.message : (err.stack ?? err.message)}\n`);
  process.exit(err instanceof UsageError ? 2 : err instanceof ConfigError ? 78 : 1);
});
