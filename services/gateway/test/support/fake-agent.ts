import {
  agentAvailabilityTopic,
  printerStateTopic,
  printerTelemetryTopic,
  type PrinterState,
} from '@printfleet/contracts';
import type { MqttProbe } from '@printfleet/testing';

/** Publishes what a printer-agent would: retained availability and state, telemetry. */
export class FakeAgent {
  private seq = 0;

  constructor(
    readonly probe: MqttProbe,
    readonly agentId = 'pi-1',
  ) {}

  async online(value: 'online' | 'offline' = 'online'): Promise<void> {
    await this.probe.client.publishAsync(agentAvailabilityTopic(this.agentId), value, {
      qos: 1,
      retain: true,
    });
  }

  async state(
    printerId: string,
    state: PrinterState['state'],
    extra: Partial<PrinterState> = {},
  ): Promise<PrinterState> {
    const payload: PrinterState = {
      printerId,
      agentId: this.agentId,
      state,
      seq: ++this.seq,
      ts: new Date().toISOString(),
      ...extra,
    };
    await this.probe.client.publishAsync(printerStateTopic(printerId), JSON.stringify(payload), {
      qos: 1,
      retain: true,
    });
    return payload;
  }

  async telemetry(
    printerId: string,
    tool: [number, number],
    bed: [number, number],
    job?: { id: string; progress: number; elapsedS: number; remainingS: number | null },
  ) {
    const payload = {
      printerId,
      ts: new Date().toISOString(),
      heaters: { tool0: { actual: tool[0], target: tool[1] }, bed: { actual: bed[0], target: bed[1] } },
      ...(job ? { job: { ...job, line: 100 } } : {}),
    };
    await this.probe.client.publishAsync(printerTelemetryTopic(printerId), JSON.stringify(payload), {
      qos: 0,
    });
  }
}
