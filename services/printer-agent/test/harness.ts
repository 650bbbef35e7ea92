import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path, { join } from 'node:path';
import pino from 'pino';
import {
  agentAvailabilityTopic,
  printerCommandReplyTopic,
  printerCommandTopic,
  printerEventsTopic,
  printerSettingsTopic,
  printerStateTopic,
  TOPIC_PATTERNS,
  type CommandReply,
  type CommandVerb,
  type PrinterEvent,
  type PrinterState,
} from '@printfleet/contracts';
import { MqttConnection } from '@printfleet/messaging';
import { MARLIN, startSimulator, type RunningSimulator, type StartSimulatorOptions } from '@printfleet/printer-sim';
import { createTempDir, MqttProbe, startTestBroker, type TestBroker } from '@printfleet/testing';
import { PrinterAgent } from '../src/agent/printer-agent';
import type { SessionOptions } from '../src/session/printer-session';
import { LogCapture } from './log-capture';

/** The shared slicer corpus lives beside the repository: <repo>/../shared/gcode. */
export const CORPUS_DIR = path.resolve(__dirname, '../../../../shared/gcode');

export const logger = pino({ level: process.env.PRINTFLEET_TEST_LOG ?? 'silent' });

/**
 * A real slicer file made fit for a test that lasts seconds: the simulator moves at the file's
 * own feed rates and heats at 2 °C/s, so feed rates are multiplied by 1000 and heat-and-wait
 * (M109/M190) become set-and-go (M104/M140). Every line stays where it was; the record is
 * compared against this text.
 */
export function fastCopyOf(file: string): string {
  return readFileSync(join(CORPUS_DIR, file), 'latin1')
    .split('\n')
    .map((line) => {
      const semi = line.indexOf(';');
      const code = semi >= 0 ? line.slice(0, semi) : line;
      const rest = semi >= 0 ? line.slice(semi) : '';
      return (
        code
          .replace(/\bF(\d+(?:\.\d+)?)/, (_m, f: string) => `F${Math.round(Number(f) * 1000)}`)
          .replace(/^M109\b/, 'M104')
          .replace(/^M190\b/, 'M140') + rest
      );
    })
    .join('\n');
}

/** Options for a simulator that costs no wall time: no baud limit, no latency, a short boot. */
export function fastSim(extra: StartSimulatorOptions = {}): StartSimulatorOptions {
  return {
    baudRate: 0,
    latencyMs: 0,
    bootMs: 20,
    reconnectMs: 300,
    planner: { maxFeedrate: 1e7, acceleration: 1e7 },
    thermal: { noise: 0 },
    ...extra,
  };
}

/**
 * `fastSim` whose heaters reach print temperatures and cool back in about a second, with a 1 s
 * M109/M190 residency and Marlin's cold-extrusion guard (170 °C): a resume that forgets to heat
 * shows up in `firmware.coldExtrusions`.
 */
export function heatingSim(extra: StartSimulatorOptions = {}): StartSimulatorOptions {
  return fastSim({
    dialect: { ...MARLIN, residencyS: 1 },
    extrudeMinTemp: 170,
    thermal: { noise: 0, hotend: { maxHeatRate: 200, approachBand: 40, coolTau: 2 }, bed: { maxHeatRate: 100, approachBand: 20, coolTau: 2 } },
    ...extra,
  });
}

/** A file server as the job-service would be: the agent downloads from it. */
export class FileServer {
  private readonly files = new Map<string, Buffer>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FileServer> {
    let self: FileServer | null = null;
    const server = createServer((req, res) => {
      const body = self?.files.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new FileServer(server);
    return self;
  }

  /** Serves `text` and returns the `file` part of a start command for it. */
  add(id: string, text: string | Buffer) {
    const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
    this.files.set(`/files/${id}`, body);
    const port = (this.server.address() as AddressInfo).port;
    return {
      id,
      name: `${id}.gcode`,
      sha256: createHash('sha256').update(body).digest('hex'),
      size: body.length,
      url: `http://127.0.0.1:${port}/files/${id}`,
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface World {
  broker: TestBroker;
  probe: MqttProbe;
  files: FileServer;
  dataDir: string;
  agentId: string;
  agent: PrinterAgent;
  mqtt: MqttConnection;
  /** The agent's log (each `startAgent` gets the same one). */
  logs: LogCapture;
  /**
   * Publishes a printer's settings retained, as the job-service does (with a job-service account:
   * the broker lets no one else). An object is sent as JSON, a string as it is ('' clears them).
   */
  publishSettings(printerId: string, payload: object | string): Promise<void>;
  /** Starts (or restarts) the agent on the same data dir. */
  startAgent(ports: string[]): Promise<PrinterAgent>;
  stopAgent(): Promise<void>;
  command<V extends CommandVerb>(printerId: string, verb: V, payload: Record<string, unknown>): Promise<CommandReply>;
  /** Position in the probe's log: waits given `since` ignore what came before it. */
  mark(): number;
  waitState(printerId: string, state: PrinterState['state'], since?: number, timeoutMs?: number): Promise<PrinterState>;
  waitEvent<T extends PrinterEvent['type']>(printerId: string, type: T, since?: number, timeoutMs?: number): Promise<Extract<PrinterEvent, { type: T }>>;
  states(printerId: string): PrinterState[];
  /** The states published for `printerId` at or after `since` (a `mark()`). */
  statesSince(printerId: string, since: number): PrinterState[];
  close(): Promise<void>;
}

let commandSeq = 0;

/** A real broker, a probe with controller rights, a file server and an agent with real MQTT. */
export async function startWorld(session: SessionOptions = {}): Promise<World> {
  const broker = await startTestBroker();
  const agentId = 'pi';
  const probeCreds = await broker.account('controller', 'probe');
  const agentCreds = await broker.account('agent', `agent-${agentId}`, agentId);
  const probe = await MqttProbe.connect(broker.url, probeCreds);
  await probe.subscribe(TOPIC_PATTERNS.everything);
  const files = await FileServer.start();
  const dir = createTempDir('printfleet-agent-');
  let jobService: MqttProbe | null = null;
  const world: World = {
    broker,
    probe,
    files,
    dataDir: dir.path,
    agentId,
    agent: undefined as unknown as PrinterAgent,
    mqtt: undefined as unknown as MqttConnection,
    logs: new LogCapture(),
    async publishSettings(printerId, payload) {
      jobService ??= await MqttProbe.connect(broker.url, await broker.account('job-service', 'job-service'));
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      await jobService.client.publishAsync(printerSettingsTopic(printerId), body, { qos: 1, retain: true });
    },
    async startAgent(ports) {
      this.mqtt = new MqttConnection({
        url: broker.url,
        ...agentCreds,
        clientId: `agent-test-${++commandSeq}`,
        availabilityTopic: agentAvailabilityTopic(agentId),
        logger,
      });
      await this.mqtt.start();
      this.agent = new PrinterAgent({
        agentId,
        dataDir: dir.path,
        mqtt: this.mqtt,
        logger: this.logs.logger,
        ports,
        lister: async () => [],
        hotplugPeriodMs: 200,
        session: {
          timings: { bootWaitMs: 1000, handshakeTimeoutMs: 3000 },
          engine: { ackTimeoutMs: 2500 },
          telemetryIntervalMs: 200,
          retryDelayMs: 300,
          ...session,
        },
      });
      await this.agent.start();
      return this.agent;
    },
    async stopAgent() {
      await this.agent?.stop();
      await this.mqtt?.stop();
    },
    async command(printerId, verb, payload) {
      const commandId = (payload.commandId as string | undefined) ?? `c-${++commandSeq}`;
      const replyTopic = printerCommandReplyTopic(printerId, verb);
      const mark = probe.received(replyTopic).length;
      await probe.client.publishAsync(printerCommandTopic(printerId, verb), JSON.stringify({ commandId, ...payload }), { qos: 1 });
      const isMine = (m: { json<T>(): T }) => m.json<CommandReply>().commandId === commandId;
      const seen = probe.received(replyTopic).slice(mark).find(isMine);
      const reply = seen ?? (await probe.waitFor(replyTopic, (m) => probe.received(replyTopic).indexOf(m) >= mark && isMine(m)));
      return reply.json<CommandReply>();
    },
    mark() {
      return probe.messages.length;
    },
    async waitState(printerId, state, since = 0, timeoutMs = 20_000) {
      const after = (x: object) => probe.messages.indexOf(x as never) >= since;
      const m = await probe.waitFor(printerStateTopic(printerId), (x) => after(x) && x.json<PrinterState>().state === state, timeoutMs);
      return m.json<PrinterState>();
    },
    async waitEvent(printerId, type, since = 0, timeoutMs = 20_000) {
      const after = (x: object) => probe.messages.indexOf(x as never) >= since;
      const m = await probe.waitFor(printerEventsTopic(printerId), (x) => after(x) && x.json<PrinterEvent>().type === type, timeoutMs);
      return m.json();
    },
    states(printerId) {
      return probe.received(printerStateTopic(printerId)).map((m) => m.json<PrinterState>());
    },
    statesSince(printerId, since) {
      return probe
        .received(printerStateTopic(printerId))
        .filter((m) => probe.messages.indexOf(m) >= since)
        .map((m) => m.json<PrinterState>());
    },
    async close() {
      await this.stopAgent();
      await jobService?.close();
      await probe.close();
      await files.close();
      await broker.close();
      dir.remove();
    },
  };
  return world;
}

export async function sims(n: number, options: (i: number) => StartSimulatorOptions): Promise<RunningSimulator[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => startSimulator(options(i))));
}
