import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { decodePayload, printerTelemetrySchema } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { FleetPresence } from '../fleet/fleet-presence';
import { JOB_SETTINGS, type JobSettings } from '../settings';
import { TemperatureRepository } from './temperature.repository';

const HOUR_MS = 3600_000;

/**
 * Turns the agents' telemetry (about one message a second per printer, QoS 0) into temperature
 * history: at most one sample per printer per `temperatureSampleMs`, judged by the telemetry's
 * own timestamps (a burst of late messages does not make more samples), tagged with the job the
 * printer runs (from the telemetry, else its retained state). Samples older than
 * `temperatureRetentionDays` are pruned at boot and hourly.
 */
@Injectable()
export class TemperatureRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly lastSampled = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly stored = new EventEmitter().setMaxListeners(0);
  private readonly log: Logger;

  constructor(
    private readonly samples: TemperatureRepository,
    private readonly presence: FleetPresence,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'temperatures' });
  }

  onApplicationBootstrap(): void {
    const prune = () => void this.prune().catch((err: Error) => this.log.error({ err: err.message }, 'temperature pruning failed'));
    prune();
    this.timer = setInterval(prune, HOUR_MS);
    this.timer.unref();
  }

  onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    return this.chain;
  }

  /** Resolves when every sample taken so far is stored. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Called after each sample is stored (tests await it instead of sleeping). */
  onStored(listener: (printerId: string, ts: string) => void): () => void {
    this.stored.on('stored', listener);
    return () => this.stored.off('stored', listener);
  }

  /** One telemetry message: kept as a sample or dropped (decided at once, stored in order). */
  offer(payload: Buffer): void {
    const decoded = decodePayload(printerTelemetrySchema, payload);
    if (!decoded.ok) return this.log.debug({ reason: decoded.error }, 'invalid telemetry dropped');
    const t = decoded.value;
    if (Object.keys(t.heaters).length === 0) return;
    const at = Date.parse(t.ts);
    const last = this.lastSampled.get(t.printerId);
    // A clock that went back (agent host re-synced) starts over rather than going silent.
    if (last !== undefined && at >= last && at - last < this.settings.temperatureSampleMs) return;
    this.lastSampled.set(t.printerId, at);
    const live = this.presence.state(t.printerId);
    const jobId = t.job?.id ?? (live && (live.state === 'printing' || live.state === 'paused') ? (live.job?.id ?? null) : null);
    this.chain = this.chain
      .then(() => this.samples.insert(t.printerId, { ts: t.ts, jobId, heaters: t.heaters }))
      .then(() => void this.stored.emit('stored', t.printerId, t.ts))
      .catch((err: Error) => this.log.error({ printerId: t.printerId, err: err.message }, 'temperature sample not stored'));
  }

  /** Returns the number of samples deleted. */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.settings.temperatureRetentionDays * 24 * HOUR_MS).toISOString();
    const deleted = await this.samples.pruneBefore(cutoff);
    if (deleted) this.log.info({ deleted, cutoff }, 'old temperature samples pruned');
    return deleted;
  }
}
