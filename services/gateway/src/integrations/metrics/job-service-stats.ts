import type { Logger } from '@printfleet/logging';
import type { JobServiceClient } from '../../jobs/job-service-client';

/** How a job ended, as the job-service's `/stats` counts them. */
export const JOB_OUTCOMES = ['finished', 'failed', 'cancelled', 'interrupted'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];
export type OutcomeCounts = Record<JobOutcome, number>;

/** What the last answer of the job-service said; `up` says whether the last attempt got one. */
export interface JobServiceSnapshot {
  up: boolean;
  /** Null until the job-service has answered once: nothing is known, so nothing is exported. */
  values: {
    /** Every ended job, by outcome (summed over users: jobs that never reached a printer included). */
    outcomes: OutcomeCounts;
    perPrinter: { printer: string; outcomes: OutcomeCounts }[];
    /** Jobs waiting in the queue, held ones included. */
    queueLength: number;
  } | null;
}

type StatsRow = { key: string } & Partial<Record<JobOutcome, number>>;

/** Who the job-service sees in `X-Requested-By` (its audit trail): reads only, never written. */
const ACTOR = 'gateway-metrics';

const counts = (row: Partial<Record<JobOutcome, number>>): OutcomeCounts =>
  Object.fromEntries(JOB_OUTCOMES.map((o) => [o, Number(row[o] ?? 0)])) as OutcomeCounts;

/**
 * Job counts and queue length for `/metrics`, read from the job-service (`GET /stats`,
 * `GET /queue`) at most once per `maxAgeMs` whatever the scrape rate; scrapes that come while a
 * read is under way share it. A failed read keeps the last values and marks the job-service down
 * until a later read succeeds (also no sooner than `maxAgeMs`, so a dead job-service is not
 * hammered either).
 */
export class JobServiceStats {
  private snapshot: JobServiceSnapshot = { up: false, values: null };
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly client: JobServiceClient,
    private readonly maxAgeMs: number,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async current(): Promise<JobServiceSnapshot> {
    if (!this.reading && this.now() - this.readAt >= this.maxAgeMs)
      this.reading = this.read().finally(() => {
        this.readAt = this.now();
        this.reading = null;
      });
    if (this.reading) await this.reading;
    return this.snapshot;
  }

  private async read(): Promise<void> {
    try {
      const [stats, queue] = await Promise.all([
        this.client.json<{ printers: StatsRow[]; users: StatsRow[] }>('GET', '/stats', ACTOR),
        this.client.json<{ items: unknown[] }>('GET', '/queue', ACTOR),
      ]);
      const outcomes = counts({});
      for (const row of stats.body.users) for (const o of JOB_OUTCOMES) outcomes[o] += Number(row[o] ?? 0);
      this.snapshot = {
        up: true,
        values: {
          outcomes,
          perPrinter: stats.body.printers.map((row) => ({ printer: row.key, outcomes: counts(row) })),
          queueLength: queue.body.items.length,
        },
      };
    } catch (err) {
      if (this.snapshot.up) this.log.warn({ err: (err as Error).message }, 'job-service stats unavailable; metrics keep the last values');
      this.snapshot = { ...this.snapshot, up: false };
    }
  }
}
