import type { Logger } from '@printfleet/logging';
import { CommandRefused } from '../commands/command-refused';
import { CommandRouter, type CommandSource, type CommandTarget } from '../commands/command-router';
import { createUsbLister, HotplugWatcher, UsbIdMatcher, type DiscoveredPort, type UsbLister } from '../discovery';
import { FileCache } from '../jobs/file-cache';
import { JobStore } from '../jobs/job-store';
import { PrinterPublisher, type Publisher } from '../session/printer-publisher';
import { PrinterSession, type SessionOptions } from '../session/printer-session';
import { BedStore } from '../session/bed-store';
import { SeqStore } from '../session/seq-store';
import { PrinterSettingsListener } from './settings-listener';

export interface AgentMqtt extends Publisher, CommandSource {
  onConnect(hook: () => void | Promise<void>): void;
}

export interface PrinterAgentOptions {
  agentId: string;
  dataDir: string;
  mqtt: AgentMqtt;
  logger: Logger;
  /** PRINTFLEET_PORTS entries (`/path` or `name=/path`). */
  ports: readonly string[];
  usbIds?: readonly string[];
  /** USB listing; tests that run no real USB pass one that finds nothing. */
  lister?: UsbLister;
  hotplugPeriodMs?: number;
  session?: SessionOptions;
  /**
   * Per-printer pause and cancel scripts (`PRINTFLEET_PAUSE_SCRIPT`, `PRINTFLEET_CANCEL_SCRIPT`);
   * unset: defaults. An admin's settings (retained on the printer's settings topic) win over both.
   */
  scripts?: (printerId: string) => Pick<SessionOptions, 'pauseScript' | 'cancelScript'>;
}

/**
 * The agent: discovery, one session per printer, the command router, an admin's per-printer
 * settings, and the republishing of every printer's retained state after a broker reconnect.
 * It only wires; the rules live in the sessions and the libs.
 */
export class PrinterAgent {
  private readonly sessions = new Map<string, PrinterSession>();
  private readonly log: Logger;
  private readonly store: JobStore;
  private readonly cache: FileCache;
  private readonly seqs: SeqStore;
  private readonly beds: BedStore;
  private readonly watcher: HotplugWatcher;
  private readonly router: CommandRouter;
  private readonly settings: PrinterSettingsListener;

  constructor(private readonly options: PrinterAgentOptions) {
    this.log = options.logger.child({ component: 'printer-agent' });
    this.store = new JobStore(options.dataDir);
    this.cache = new FileCache(options.dataDir);
    this.seqs = new SeqStore(options.dataDir);
    this.beds = new BedStore(options.dataDir);
    this.watcher = new HotplugWatcher({
      lister: options.lister ?? createUsbLister(this.log),
      matcher: new UsbIdMatcher(options.usbIds),
      configured: options.ports,
      logger: this.log,
      periodMs: options.hotplugPeriodMs,
    });
    this.router = new CommandRouter((id) => this.sessions.get(id), this.log, (id) => this.absentPrinter(id));
    // Settings of a printer without a session are only kept: publishing for it would claim it.
    this.settings = new PrinterSettingsListener(this.log, (id, settings) => this.sessions.get(id)?.applySettings(settings));
  }

  session(printerId: string): PrinterSession | undefined {
    return this.sessions.get(printerId);
  }

  async start(): Promise<void> {
    // First: retained settings that arrive before a printer's session exists go into its first
    // state; any arriving later are applied then (one more state).
    await this.settings.start(this.options.mqtt);
    // A job persisted by the previous run is interrupted now, whether or not its printer is here.
    for (const printerId of this.store.printersWithJobs()) this.sessionFor(printerId);
    this.options.mqtt.onConnect(() => {
      for (const s of this.sessions.values()) s.republishState();
    });
    await this.router.start(this.options.mqtt);
    this.watcher.on('added', (port) => this.added(port));
    this.watcher.on('removed', (port) => this.sessions.get(port.printerId)?.detach());
    await this.watcher.start();
  }

  async stop(): Promise<void> {
    this.watcher.stop();
    await Promise.all([...this.sessions.values()].map((s) => s.stop()));
  }

  private added(port: DiscoveredPort): void {
    this.log.info({ path: port.path, printerId: port.printerId, source: port.source }, 'printer port found');
    this.sessionFor(port.printerId).attach(port.path);
  }

  private sessionFor(printerId: string): PrinterSession {
    let session = this.sessions.get(printerId);
    if (session) return session;
    session = new PrinterSession({
      printerId,
      agentId: this.options.agentId,
      publisher: new PrinterPublisher(printerId, this.options.mqtt, this.log),
      logger: this.log,
      store: this.store,
      cache: this.cache,
      seqs: this.seqs,
      bed: this.beds,
      settings: this.settings.of(printerId),
      options: { ...this.options.session, ...this.definedScripts(printerId) },
    });
    this.sessions.set(printerId, session);
    session.start();
    return session;
  }

  private definedScripts(printerId: string): Pick<SessionOptions, 'pauseScript' | 'cancelScript'> {
    const given = this.options.scripts?.(printerId) ?? {};
    return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  }

  /** The broker only delivers commands for printers this agent published; one gone from discovery still gets a reply. */
  private absentPrinter(printerId: string): CommandTarget {
    const publisher = new PrinterPublisher(printerId, this.options.mqtt, this.log);
    return {
      execute: async () => {
        throw new CommandRefused(`printer ${printerId} is not attached to agent ${this.options.agentId}`);
      },
      reply: (verb, reply) => publisher.reply(verb, reply),
    };
  }
}
