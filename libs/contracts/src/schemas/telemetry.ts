import { z } from 'zod';
import { idSchema, percent, timestamp } from './common';

const celsius = z.number().min(-50).max(600);

export const heaterReadingSchema = z.object({
  actual: celsius,
  target: celsius,
  /** Heater PWM as a percentage, when the firmware reports it (`@:` / `B@:`). */
  power: percent.optional(),
});

/** Heater keys: `tool0`…`toolN`, `bed`, `chamber`. */
const heaterKey = z.string().regex(/^(tool[0-9]|bed|chamber)$/);

export const printerTelemetrySchema = z.object({
  printerId: idSchema,
  ts: timestamp,
  heaters: z.record(heaterKey, heaterReadingSchema),
  fans: z.record(z.string().regex(/^fan[0-9]$/), percent).optional(),
  position: z.object({ x: z.number(), y: z.number(), z: z.number(), e: z.number() }).optional(),
  job: z
    .object({
      id: idSchema,
      progress: percent,
      line: z.int().nonnegative(),
      elapsedS: z.number().nonnegative(),
      remainingS: z.number().nonnegative().nullable(),
      layer: z.int().nonnegative().optional(),
    })
    .optional(),
  /** The serial link's health while connected. */
  link: z
    .object({
      /** Lines acknowledged per second over the last few seconds (0 when not streaming). */
      linesPerS: z.number().nonnegative(),
      /** Resends the firmware asked for since the connection opened. */
      resends: z.int().nonnegative(),
      /** Lines re-sent after an unanswered wait since the connection opened. */
      timeouts: z.int().nonnegative().optional(),
    })
    .optional(),
});
export type PrinterTelemetry = z.infer<typeof printerTelemetrySchema>;
