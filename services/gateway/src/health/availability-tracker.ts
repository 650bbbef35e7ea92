import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { availabilitySchema, parseTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';

export type Seen = 'online' | 'offline' | 'unknown';

export interface HealthReport {
  status: 'ok' | 'degraded';
  broker: 'online' | 'offline';
  services: { 'job-service': Seen; gateway: Seen };
  agents: Record<string, Seen>;
}

/** What the gateway sees of every service's retained availability on MQTT. */
@Injectable()
export class AvailabilityTracker implements OnModuleInit {
  private readonly services = new Map<string, Seen>();
  private readonly agents = new Map<string, Seen>();

  constructor(
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const record = (topic: string, payload: Buffer) => {
      const parsed = parseTopic(topic);
      const value = availabilitySchema.safeParse(payload.toString());
      if (!value.success) {
        // An empty retained payload clears the topic: the agent is gone for good.
        if (payload.length === 0 && parsed?.kind === 'agent-availability') this.agents.delete(parsed.agentId);
        else this.logger.warn({ topic }, 'ignored invalid availability payload');
        return;
      }
      if (parsed?.kind === 'service-availability') this.services.set(parsed.service, value.data);
      if (parsed?.kind === 'agent-availability') this.agents.set(parsed.agentId, value.data);
    };
    await this.mqtt.subscribe(TOPIC_PATTERNS.availability.services, record);
    await this.mqtt.subscribe(TOPIC_PATTERNS.availability.agents, record);
  }

  report(): HealthReport {
    const broker = this.mqtt.connected ? 'online' : 'offline';
    const services = {
      'job-service': this.services.get('job-service') ?? 'unknown',
      // The gateway answering this request is online, whatever its retained topic says.
      gateway: 'online' as const,
    };
    const agents = Object.fromEntries([...this.agents].sort());
    const allOnline =
      broker === 'online' && services['job-service'] === 'online' && Object.values(agents).every((a) => a === 'online');
    return { status: allOnline ? 'ok' : 'degraded', broker, services, agents };
  }
}
