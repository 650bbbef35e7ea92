import {
  agentAvailabilityTopic,
  printerCommandReplyTopic,
  printerCommandTopic,
  printerEventsTopic,
  printerStateTopic,
  printerTelemetryTopic,
  type PrinterEvent,
  type PrinterState,
  type StartCommand,
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
    link?: { linesPerS: number; resends: number; timeouts?: number },
  ) {
    const payload = {
      printerId,
      ts: new Date().toISOString(),
      heaters: { tool0: { actual: tool[0], target: tool[1] }, bed: { actual: bed[0], target: bed[1] } },
      ...(job ? { job: { ...job, line: 100 } } : {}),
      ...(link ? { link } : {}),
    };
    await this.probe.client.publishAsync(printerTelemetryTopic(printerId), JSON.stringify(payload), {
      qos: 0,
    });
  }

  async event(e: PrinterEvent): Promise<void> {
    await this.probe.client.publishAsync(printerEventsTopic(e.printerId), JSON.stringify(e), { qos: 1 });
  }

  /** The `cmd/start` of a job (the probe must be subscribed to the printer's commands). */
  async nextStart(printerId: string, jobId: string): Promise<StartCommand> {
    const m = await this.probe.waitFor(
      printerCommandTopic(printerId, 'start'),
      (msg) => msg.json<StartCommand>().jobId === jobId,
    );
    return m.json<StartCommand>();
  }

  /** What a real agent does with a start it takes: reply, state printing, `job.started`. */
  async acceptStart(printerId: string, cmd: StartCommand, extra: Partial<PrinterState> = {}): Promise<void> {
    await this.probe.client.publishAsync(
      printerCommandReplyTopic(printerId, 'start'),
      JSON.stringify({ commandId: cmd.commandId, accepted: true }),
      { qos: 1 },
    );
    await this.state(printerId, 'printing', { ...extra, job: { id: cmd.jobId, progress: 0, fileName: cmd.file.name } });
    await this.event({
      type: 'job.started',
      printerId,
      jobId: cmd.jobId,
      fileId: cmd.file.id,
      fileName: cmd.file.name,
      ts: new Date().toISOString(),
    });
  }
}
