import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PrintfleetConfig } from '@printfleet/config';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { CONFIG, LOGGER, MQTT } from '@printfleet/service-kit';
import { agentSettings } from './agent-settings';
import { PrinterAgent } from './agent/printer-agent';

/** Nest lifecycle around the agent: constructors assign, `onModuleInit` does the I/O. */
@Injectable()
export class PrinterAgentService implements OnModuleInit, OnModuleDestroy {
  private agent: PrinterAgent | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: PrintfleetConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MQTT) private readonly mqtt: MqttConnection,
  ) {}

  async onModuleInit(): Promise<void> {
    const settings = agentSettings();
    this.agent = new PrinterAgent({
      agentId: this.config.agentId,
      dataDir: this.config.dataDir,
      mqtt: this.mqtt,
      logger: this.logger,
      ports: this.config.ports,
      usbIds: settings.usbIds,
      session: { baudRate: settings.baudRate },
      scripts: settings.scripts,
    });
    await this.agent.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent?.stop();
  }
}
