import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  COMMAND_SCHEMAS,
  COMMAND_VERBS,
  formatIssues,
  printerCommandTopic,
  type CommandReply,
  type CommandVerb,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import type { Principal } from '../auth/principal';
import { forbidden, GatewayError, invalidInput, notFound } from '../errors/gateway-error';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';
import { commandPermission } from './command-permission';
import { PrinterRegistry } from './printer-registry';
import { ReplyTimeout, ReplyWaiter } from './reply-waiter.service';

const isVerb = (v: string): v is CommandVerb => (COMMAND_VERBS as string[]).includes(v);

/**
 * Sends one command to a printer's agent and returns the agent's reply. The gateway never
 * decides whether a command fits the printer's state: the agent owns that and answers
 * `accepted: false` with a reason, which is passed on unchanged.
 */
@Injectable()
export class CommandService {
  constructor(
    private readonly registry: PrinterRegistry,
    private readonly replies: ReplyWaiter,
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async send(caller: Principal, printerId: string, verb: string, body: unknown): Promise<CommandReply> {
    if (!isVerb(verb)) throw notFound('command', `"${verb}" (known: ${COMMAND_VERBS.join(', ')})`);
    const printer = this.registry.get(printerId);
    if (!printer) throw notFound('printer', printerId);
    const permission = commandPermission(caller.role, verb, caller.name);
    if (!permission.allowed) throw forbidden(permission.reason);
    if (printer.agent === 'offline')
      throw new GatewayError(
        'PRINTER_UNREACHABLE',
        `agent ${printer.state.agentId} is offline: ${printerId} cannot be reached`,
      );
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
      throw invalidInput('the body must be a JSON object');
    // commandId and requestedBy are the gateway's to set: a caller cannot pose as someone else.
    const payload = { ...(body as object), commandId: randomUUID(), requestedBy: caller.name };
    const checked = COMMAND_SCHEMAS[verb].safeParse(payload);
    if (!checked.success) throw invalidInput(formatIssues(checked.error));

    const reply = this.replies.wait(payload.commandId, printerId, this.settings.commandTimeoutMs);
    try {
      await this.mqtt.publish(printerCommandTopic(printerId, verb), JSON.stringify(checked.data), {
        qos: 1,
        retain: false,
      });
    } catch (err) {
      this.replies.cancel(payload.commandId);
      throw new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        `could not reach the MQTT broker: ${(err as Error).message}`,
      );
    }
    this.logger.info({ printerId, verb, commandId: payload.commandId, user: caller.name }, 'command sent');
    try {
      return await reply;
    } catch (err) {
      if (!(err instanceof ReplyTimeout)) throw err;
      throw new GatewayError(
        'COMMAND_TIMEOUT',
        `${printerId} did not answer "${verb}" within ${this.settings.commandTimeoutMs / 1000} s; its agent may be busy or gone. Check the printer before retrying.`,
      );
    }
  }
}
