import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { decodePayload, jobChangedTopic, jobChangeSchema, type JobChange } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';

/**
 * Job changes as the job-service announces them on its internal topic, validated, handed to
 * listeners (the live socket relays them to browsers, which refetch what they show). The gateway
 * keeps no copy: the job-service owns jobs.
 */
@Injectable()
export class JobChangeFeed implements OnModuleInit {
  private readonly listeners = new Set<(change: JobChange) => void>();
  private readonly log: Logger;

  constructor(
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'job-change-feed' });
  }

  async onModuleInit(): Promise<void> {
    await this.mqtt.subscribe(jobChangedTopic(), (topic, payload) => {
      const decoded = decodePayload(jobChangeSchema, payload);
      if (!decoded.ok) return this.log.warn({ topic, reason: decoded.error }, 'dropped invalid job change');
      for (const listener of this.listeners) listener(decoded.value);
    });
  }

  onChange(listener: (change: JobChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
