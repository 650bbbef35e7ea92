import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { COMMAND_SCHEMAS, encodePayload, printerCommandTopic, type CommandPayload } from '@printfleet/contracts';
import type { MqttConnection } from '@printfleet/messaging';
import { MQTT } from '@printfleet/service-kit';

export const newCommandId = (): string => randomUUID();

/** Every command leaves through here: validated against the contract, QoS 1, never retained. */
@Injectable()
export class CommandPublisher {
  constructor(@Inject(MQTT) private readonly mqtt: MqttConnection) {}

  async send<V extends 'start' | 'cancel'>(printerId: string, verb: V, payload: CommandPayload<V>): Promise<void> {
    await this.mqtt.publish(printerCommandTopic(printerId, verb), encodePayload(COMMAND_SCHEMAS[verb], payload), { qos: 1, retain: false });
  }
}
