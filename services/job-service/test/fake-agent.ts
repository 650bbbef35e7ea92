import {
  printerCommandReplyTopic,
  printerEventsTopic,
  printerStateTopic,
  TOPIC_PATTERNS,
  type PrinterEvent,
  type PrinterState,
  type StartCommand,
} from '@printfleet/contracts';
import { MqttProbe, type TestBroker } from '@printfleet/testing';

/**
 * An agent on a real MQTT connection with a real agent account, speaking the v1 contract for
 * its printers: retained state with seq, events, replies. The test decides what it does.
 */
export class FakeAgent {
  private seq = 0;
  private constructor(
    readonly agentId: string,
    readonly probe: MqttProbe,
  ) {}

  static async connect(broker: TestBroker, agentId: string): Promise<FakeAgent> {
    const creds = await broker.account('agent', `agent-${agentId}`, agentId);
    const probe = await MqttProbe.connect(broker.url, creds);
    await probe.subscribe(TOPIC_PATTERNS.printerCommands);
    return new FakeAgent(agentId, probe);
  }

  async state(printerId: string, state: PrinterState['state'], extra: Partial<PrinterState> = {}): Promise<void> {
    const payload: PrinterState = { printerId, agentId: this.agentId, state, seq: ++this.seq, ts: new Date().toISOString(), ...extra };
    await this.probe.client.publishAsync(printerStateTopic(printerId), JSON.stringify(payload), { qos: 1, retain: true });
  }

  async event(e: PrinterEvent): Promise<void> {
    await this.probe.client.publishAsync(printerEventsTopic(e.printerId), JSON.stringify(e), { qos: 1 });
  }

  /** The next cmd/start for `printerId` that matches. */
  async nextStart(printerId: string, predicate: (c: StartCommand) => boolean = () => true): Promise<StartCommand> {
    const topic = `${printerStateTopic(printerId).replace(/\/state$/, '')}/cmd/start`;
    const m = await this.probe.waitFor(topic, (msg) => predicate(msg.json<StartCommand>()));
    return m.json<StartCommand>();
  }

  startsFor(printerId: string): StartCommand[] {
    const topic = `${printerStateTopic(printerId).replace(/\/state$/, '')}/cmd/start`;
    return this.probe.received(topic).map((m) => m.json<StartCommand>());
  }

  async reply(printerId: string, commandId: string, accepted: boolean, reason?: string): Promise<void> {
    await this.probe.client.publishAsync(printerCommandReplyTopic(printerId, 'start'), JSON.stringify({ commandId, accepted, reason }), { qos: 1 });
  }

  /** Accepts a start the way a real agent does: reply, state printing, job.started. */
  async acceptStart(printerId: string, cmd: StartCommand): Promise<void> {
    await this.reply(printerId, cmd.commandId, true);
    await this.state(printerId, 'printing', { job: { id: cmd.jobId, progress: 0 } });
    await this.event({ type: 'job.started', printerId, jobId: cmd.jobId, fileId: cmd.file.id, fileName: cmd.file.name, ts: new Date().toISOString() });
  }

  async finish(printerId: string, jobId: string, durationS: number): Promise<void> {
    await this.event({ type: 'job.finished', printerId, jobId, durationS, ts: new Date().toISOString() });
    await this.state(printerId, 'finished', { job: { id: jobId, progress: 100 } });
  }

  close(): Promise<void> {
    return this.probe.close();
  }
}
