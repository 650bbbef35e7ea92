import pino from 'pino';
import { printerCommandReplyTopic, topicMatches, type CommandReply, type CommandVerb } from '@printfleet/contracts';
import { CommandRouter, type CommandTarget } from '../../../printer-agent/src/commands/command-router';
import type { FakeAgent } from './fake-agent';

/**
 * The agent's side of commands for one fake printer: the printer-agent's real CommandRouter
 * (contract validation, de-duplication by commandId, exactly one reply) on the fake agent's
 * MQTT client; a pause moves the printer to `paused`. Booting the whole agent needs serial
 * ports; the router is the part that answers commands and can run alone.
 */
export async function startCommandResponder(agent: FakeAgent, printerId: string) {
  const executed: { verb: CommandVerb; commandId: string }[] = [];
  const client = agent.probe.client;
  const printer: CommandTarget = {
    async execute(verb, payload) {
      executed.push({ verb, commandId: payload.commandId });
      if (verb === 'pause') await agent.state(printerId, 'paused');
    },
    reply(verb: CommandVerb, reply: CommandReply) {
      void client.publishAsync(printerCommandReplyTopic(printerId, verb), JSON.stringify(reply), { qos: 1 });
    },
  };
  const router = new CommandRouter((id) => (id === printerId ? printer : undefined), pino({ level: 'silent' }));
  await router.start({
    subscribe: async (filter, handler) => {
      client.on('message', (topic, payload) => topicMatches(filter, topic) && handler(topic, payload));
      await agent.probe.subscribe(filter);
    },
  });
  return { executed };
}
