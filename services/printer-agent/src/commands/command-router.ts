import {
  COMMAND_SCHEMAS,
  decodePayload,
  parseTopic,
  salvageCommandId,
  TOPIC_PATTERNS,
  type CommandPayload,
  type CommandReply,
  type CommandVerb,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { CommandRefused } from './command-refused';
import { RecentCommands } from './recent-commands';

/** What the router needs of a printer: its command handlers, and where its replies go. */
export interface CommandTarget {
  execute<V extends CommandVerb>(verb: V, payload: CommandPayload<V>): Promise<void>;
  reply(verb: CommandVerb, reply: CommandReply): void;
}

export interface CommandSource {
  subscribe(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void>;
}

/**
 * Every printer command enters here: topic parsed, payload validated against the contract,
 * repeats of a commandId answered with the first reply (no second action), the printer's
 * handler run, and exactly one reply sent whatever happens. The only try/catch for commands.
 */
export class CommandRouter {
  private readonly recent = new Map<string, RecentCommands>();

  constructor(
    private readonly targets: (printerId: string) => CommandTarget | undefined,
    private readonly log: Logger,
    private readonly unknownPrinter: (printerId: string) => CommandTarget | undefined = () => undefined,
  ) {}

  async start(source: CommandSource): Promise<void> {
    await source.subscribe(TOPIC_PATTERNS.printerCommands, (topic, payload) => void this.handle(topic, payload));
  }

  async handle(topic: string, payload: Buffer): Promise<CommandReply | null> {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'printer-command') return null;
    const { printerId, verb } = parsed;
    const target = this.targets(printerId) ?? this.unknownPrinter(printerId);
    if (!target) {
      this.log.warn({ printerId, verb }, 'command for a printer this agent does not have');
      return null;
    }
    const decoded = decodePayload(COMMAND_SCHEMAS[verb], payload);
    if (!decoded.ok) {
      const reply: CommandReply = { commandId: salvageCommandId(payload), accepted: false, reason: `invalid ${verb} command: ${decoded.error}` };
      target.reply(verb, reply);
      return reply;
    }
    const command = decoded.value as CommandPayload<typeof verb>;
    const recent = this.recentOf(printerId);
    const earlier = recent.get(command.commandId);
    if (earlier) {
      const reply = await earlier;
      target.reply(verb, reply);
      return reply;
    }
    const pending = this.run(target, verb, command);
    recent.remember(command.commandId, pending);
    const reply = await pending;
    target.reply(verb, reply);
    return reply;
  }

  private async run(target: CommandTarget, verb: CommandVerb, command: CommandPayload<CommandVerb>): Promise<CommandReply> {
    const { commandId } = command;
    try {
      await target.execute(verb, command);
      this.log.info({ verb, commandId, requestedBy: command.requestedBy }, 'command accepted');
      return { commandId, accepted: true };
    } catch (err) {
      if (err instanceof CommandRefused) {
        this.log.info({ verb, commandId, reason: err.message }, 'command refused');
        return { commandId, accepted: false, reason: err.message };
      }
      this.log.error({ verb, commandId, err: (err as Error).stack }, 'command failed');
      return { commandId, accepted: false, reason: `internal error: ${(err as Error).message}` };
    }
  }

  private recentOf(printerId: string): RecentCommands {
    let r = this.recent.get(printerId);
    if (!r) this.recent.set(printerId, (r = new RecentCommands()));
    return r;
  }
}
