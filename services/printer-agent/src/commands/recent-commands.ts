import type { CommandReply } from '@printfleet/contracts';

/**
 * Commands are idempotent by commandId (DESIGN.md): a repeat (an MQTT QoS 1 redelivery, a
 * retrying client) gets the first reply and causes nothing. A repeat that arrives while the
 * first is still being handled (a download) waits for the same answer. Bounded: the oldest
 * ids are forgotten first.
 */
export class RecentCommands {
  private readonly replies = new Map<string, Promise<CommandReply>>();

  constructor(private readonly capacity = 256) {}

  /** The reply of an earlier command with this id, or undefined when it is new. */
  get(commandId: string): Promise<CommandReply> | undefined {
    return this.replies.get(commandId);
  }

  remember(commandId: string, reply: Promise<CommandReply>): void {
    this.replies.set(commandId, reply);
    while (this.replies.size > this.capacity) {
      const oldest = this.replies.keys().next().value;
      if (oldest === undefined) break;
      this.replies.delete(oldest);
    }
  }
}
