import { formatIssues } from '@printfleet/contracts';
import type { z } from 'zod';
import { invalidInput } from '../errors/gateway-error';

/** Validates a request body against a zod schema; the 400 names each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw invalidInput(formatIssues(result.error));
  return result.data;
}
