import { Inject, Injectable } from '@nestjs/common';
import { PRINTER_STATES } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { Counter, Gauge, Registry } from 'prom-client';
import { AvailabilityTracker } from '../../health/availability-tracker';
import { JobServiceClient } from '../../jobs/job-service-client';
import { INTEGRATION_SETTINGS, type IntegrationSettings } from '../integration-settings';
import { JOB_OUTCOMES, JobServiceStats } from './job-service-stats';
import { PrinterRegistry } from '../../printers/printer-registry';
import type { PrinterView } from '../../printers/printer-view';

/** A printer whose agent is offline has no current state: its last one is only a last report. */
const UNKNOWN = 'unknown';
const STATE_LABELS = [...PRINTER_STATES, UNKNOWN];

const stateOf = (p: PrinterView) => (p.agent === 'offline' ? UNKNOWN : p.state.state);

/**
 * The fleet as Prometheus gauges, computed at each scrape from what the gateway already holds
 * (the printer registry, the availability tracker): nothing is counted twice, nothing drifts.
 * Job counts and the queue come from the job-service, cached (`JobServiceStats`).
 * Its own registry, not prom-client's global one, so two gateways in one process (tests) never share.
 */
@Injectable()
export class FleetMetrics {
  readonly registry = new Registry();
  private readonly gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [this.registry] });

  private readonly printerState = this.gauge('printfleet_printer_state', 'The printer state (1 for the current one; "unknown" while its agent is offline)', ['printer', 'state']);
  private readonly printersByState = this.gauge('printfleet_printers', 'Printers per state', ['state']);
  private readonly heaterActual = this.gauge('printfleet_printer_heater_temperature_celsius', 'Heater temperature as last reported', ['printer', 'heater']);
  private readonly heaterTarget = this.gauge('printfleet_printer_heater_target_celsius', 'Heater target temperature', ['printer', 'heater']);
  private readonly jobProgress = this.gauge('printfleet_printer_job_progress_ratio', 'Progress of the running job, 0 to 1', ['printer', 'job']);
  private readonly jobRemaining = this.gauge('printfleet_printer_job_remaining_seconds', "The agent's estimate of the running job's remaining time", ['printer', 'job']);
  private readonly streamRate = this.gauge('printfleet_printer_stream_lines_per_second', 'Job lines the firmware acknowledged per second, over the last seconds (as the agent last reported)', ['printer']);
  /**
   * A counter, not a gauge: the agent's running total of resends since the printer's connection
   * opened, mirrored at each scrape (set after the registry reset, like the job counts). It only
   * grows while the connection lasts and drops to 0 on a reconnect, which is exactly a counter
   * reset to Prometheus: `rate()`/`increase()` work on it, and the `_total` name keeps its promise.
   */
  private readonly resends = this.counter('printfleet_printer_resends_total', 'Lines the firmware asked to be sent again since the connection to the printer opened (as the agent last reported)', ['printer']);
  private readonly serviceUp = this.gauge('printfleet_service_up', 'Service availability as retained on MQTT (1 online, 0 offline or never seen)', ['service']);
  private readonly agentUp = this.gauge('printfleet_agent_up', 'Printer-agent availability as retained on MQTT', ['agent']);
  private readonly mqttConnected = this.gauge('printfleet_gateway_mqtt_connected', 'Whether the gateway is connected to the MQTT broker');
  private readonly jobServiceUp = this.gauge('printfleet_job_service_up', "Whether the job-service answered the gateway's last read of job counts and queue (1) or not (0)");
  /** Registered once the job-service has answered: an unlabelled gauge would otherwise say 0, unknown as "empty". */
  private readonly queueLength = new Gauge({ name: 'printfleet_queue_length', help: 'Jobs waiting in the queue, held ones included (as of the last read from the job-service)', registers: [] });
  private readonly jobsEnded = this.counter('printfleet_jobs_ended_total', 'Jobs that ended, by outcome (as of the last read from the job-service)', ['outcome']);
  private readonly printerJobsEnded = this.counter('printfleet_printer_jobs_ended_total', 'Jobs that ended on a printer, by outcome (as of the last read from the job-service)', ['printer', 'outcome']);

  /** Job counts and queue length, read from the job-service at most every `metrics.jobStatsMaxAgeMs`. */
  readonly jobService: JobServiceStats;

  constructor(
    private readonly printers: PrinterRegistry,
    private readonly availability: AvailabilityTracker,
    jobServiceClient: JobServiceClient,
    @Inject(INTEGRATION_SETTINGS) settings: IntegrationSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.jobService = new JobServiceStats(jobServiceClient, settings.metrics.jobStatsMaxAgeMs, logger.child({ component: 'metrics' }));
  }

  private counter(name: string, help: string, labelNames: string[]) {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** The Prometheus text exposition of the fleet right now. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const jobs = await this.jobService.current();
    this.registry.resetMetrics();
    const printers = this.printers.list();
    for (const state of STATE_LABELS) this.printersByState.set({ state }, printers.filter((p) => stateOf(p) === state).length);
    for (const p of printers) this.printer(p);
    const health = this.availability.report();
    for (const [service, seen] of Object.entries(health.services)) this.serviceUp.set({ service }, seen === 'online' ? 1 : 0);
    for (const [agent, seen] of Object.entries(health.agents)) this.agentUp.set({ agent }, seen === 'online' ? 1 : 0);
    this.mqttConnected.set(health.broker === 'online' ? 1 : 0);
    this.jobServiceUp.set(jobs.up ? 1 : 0);
    if (jobs.values) {
      if (!this.registry.getSingleMetric('printfleet_queue_length')) this.registry.registerMetric(this.queueLength);
      this.queueLength.set(jobs.values.queueLength);
      for (const outcome of JOB_OUTCOMES) this.jobsEnded.inc({ outcome }, jobs.values.outcomes[outcome]);
      for (const { printer, outcomes } of jobs.values.perPrinter)
        for (const outcome of JOB_OUTCOMES) this.printerJobsEnded.inc({ printer, outcome }, outcomes[outcome]);
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private printer(p: PrinterView): void {
    const printer = p.printerId;
    const current = stateOf(p);
    for (const state of STATE_LABELS) this.printerState.set({ printer, state }, state === current ? 1 : 0);
    if (current === UNKNOWN) return;
    for (const [heater, reading] of Object.entries(p.telemetry?.heaters ?? {})) {
      this.heaterActual.set({ printer, heater }, reading.actual);
      this.heaterTarget.set({ printer, heater }, reading.target);
    }
    const link = p.telemetry?.link;
    // The agent reports a link only while connected; an offline printer's last report is stale.
    if (link && current !== 'offline' && current !== 'connecting') {
      this.streamRate.set({ printer }, link.linesPerS);
      this.resends.inc({ printer }, link.resends);
    }
    const job = p.telemetry?.job ?? p.state.job;
    if (!job || (p.state.state !== 'printing' && p.state.state !== 'paused')) return;
    this.jobProgress.set({ printer, job: job.id }, job.progress / 100);
    const remaining = p.telemetry?.job?.remainingS;
    if (remaining !== undefined && remaining !== null) this.jobRemaining.set({ printer, job: job.id }, remaining);
  }
}
