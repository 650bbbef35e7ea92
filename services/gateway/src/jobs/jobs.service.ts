import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { idSchema } from '@printfleet/contracts';
import type { Principal } from '../auth/principal';
import { forbidden, notFound } from '../errors/gateway-error';
import { parseBody } from '../http/parse-body';
import { enc, pick } from './files.service';
import { jobPermission, type JobAction } from './job-permission';
import { JobServiceClient } from './job-service-client';

export const HISTORY_PARAMS = ['printerId', 'user', 'fileId', 'fileName', 'state', 'from', 'to', 'limit', 'offset'] as const;
const FILTER_PARAMS = ['printerId', 'user', 'fileId', 'fileName', 'state', 'from', 'to'] as const;
/** The filters, and how to cut the series over time: `bucket` (day, week, month), `tz` (IANA zone). */
const STATS_PARAMS = [...FILTER_PARAMS, 'bucket', 'tz'] as const;

const createSchema = z
  .object({
    fileId: idSchema,
    /** One printer; none: the fleet queue (the first free printer that fits). */
    printerId: idSchema.nullable().optional(),
    printerIds: z.array(idSchema).min(1).max(100).optional(),
    held: z.boolean().optional(),
    constraints: z
      .object({
        nozzleDiameter: z.number().positive().max(5).optional(),
        filamentType: z.string().min(1).max(50).optional(),
        tags: z.array(z.string().min(1).max(50)).max(20).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => !(b.printerId && b.printerIds), { message: 'give printerId or printerIds, not both' });

/** The bodies of each queue operation, checked here so a bad one never reaches the job-service. */
const ACTION_BODIES = {
  cancel: z.object({ reason: z.string().max(2000).optional() }).strict(),
  hold: z.object({}).strict(),
  release: z.object({}).strict(),
  move: z.object({ position: z.int().min(0) }).strict(),
  reprint: z.object({ printerId: idSchema.nullable().optional() }).strict(),
} satisfies Partial<Record<JobAction, z.ZodType>>;
export type QueueAction = keyof typeof ACTION_BODIES;
export const QUEUE_ACTIONS = Object.keys(ACTION_BODIES) as QueueAction[];

export interface JobSummary {
  id: string;
  requestedBy: string;
  [key: string]: unknown;
}

/** Jobs, the queue, history and statistics, through the job-service, with the role rules. */
@Injectable()
export class JobsService {
  constructor(private readonly client: JobServiceClient) {}

  async create(caller: Principal, body: unknown) {
    const allowed = jobPermission(caller.role, 'queue', caller.name);
    if (!allowed.allowed) throw forbidden(allowed.reason);
    const { printerId, ...rest } = parseBody(createSchema, body);
    const request = printerId ? { ...rest, printerId } : rest;
    return (await this.client.json('POST', '/jobs', caller.name, request)).body;
  }

  async search(caller: Principal, query: Record<string, unknown>) {
    return (await this.client.json('GET', `/jobs${pick(query, HISTORY_PARAMS)}`, caller.name)).body;
  }

  async get(caller: Principal, id: string): Promise<JobSummary> {
    return (await this.client.json<JobSummary>('GET', `/jobs/${enc(id)}`, caller.name)).body;
  }

  async act(caller: Principal, id: string, action: string, body: unknown) {
    if (!isQueueAction(action)) throw notFound('job action', `"${action}" (known: ${QUEUE_ACTIONS.join(', ')})`);
    const checked = parseBody(ACTION_BODIES[action], body) as object;
    // Makers cancel only their own jobs: the owner is the job-service's `requestedBy`.
    const owner = caller.role === 'maker' && action === 'cancel' ? (await this.get(caller, id)).requestedBy : undefined;
    const allowed = jobPermission(caller.role, action, caller.name, owner);
    if (!allowed.allowed) throw forbidden(allowed.reason);
    return this.client.json('POST', `/jobs/${enc(id)}/${action}`, caller.name, checked);
  }

  async queue(caller: Principal) {
    return (await this.client.json('GET', '/queue', caller.name)).body;
  }

  async stats(caller: Principal, query: Record<string, unknown>) {
    return (await this.client.json('GET', `/stats${pick(query, STATS_PARAMS)}`, caller.name)).body;
  }

  csvPath(query: Record<string, unknown>): string {
    return `/jobs.csv${pick(query, FILTER_PARAMS)}`;
  }
}

const isQueueAction = (a: string): a is QueueAction => (QUEUE_ACTIONS as string[]).includes(a);
