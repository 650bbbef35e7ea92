import { z } from 'zod';
import { formatIssues, idSchema, printerScriptSchema } from '@printfleet/contracts';
import { invalid } from '../errors';
import { STATS_BUCKETS } from '../history/stats-calendar';

const constraints = z
  .object({
    nozzleDiameter: z.number().positive().max(5).optional(),
    filamentType: z.string().min(1).max(50).optional(),
    tags: z.array(z.string().min(1).max(50)).max(20).optional(),
  })
  .strict();

export const createJobsSchema = z
  .object({
    fileId: idSchema,
    printerId: idSchema.optional(),
    printerIds: z.array(idSchema).min(1).max(100).optional(),
    constraints: constraints.optional(),
    held: z.boolean().optional(),
  })
  .strict();

export const cancelSchema = z.object({ reason: z.string().max(2000).optional() }).strict();
export const moveSchema = z.object({ position: z.int().min(0) }).strict();
export const reprintSchema = z.object({ printerId: idSchema.nullable().optional() }).strict();

/** `GET /stats` query: how to cut the series (the zone is checked against the runtime's time zone data). */
export const statsSeriesSchema = z.object({ bucket: z.enum(STATS_BUCKETS).optional(), tz: z.string().min(1).max(64).optional() }).strict();

export const profileSchema = z
  .object({
    displayName: z.string().min(1).max(200).nullable().optional(),
    location: z.string().min(1).max(200).nullable().optional(),
    tags: z.array(z.string().min(1).max(50)).max(20).optional(),
    bed: z.object({ x: z.number().positive().max(5000), y: z.number().positive().max(5000), z: z.number().positive().max(5000) }).nullable().optional(),
    nozzleDiameter: z.number().positive().max(5).nullable().optional(),
    filamentType: z.string().min(1).max(50).nullable().optional(),
    // The contract's own rule, so nothing stored here can fail to publish.
    pauseScript: printerScriptSchema.nullable().optional(),
    cancelScript: printerScriptSchema.nullable().optional(),
  })
  .strict();

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw invalid(formatIssues(r.error));
  return r.data;
}
