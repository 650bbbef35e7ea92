import { z } from 'zod';
import { commandIdSchema, gcodeLineSchema, idSchema, LIMITS, longText, sha256Hex, shortText } from './common';

const base = {
  commandId: commandIdSchema,
  /** Who asked (user name or service), for the audit trail. */
  requestedBy: shortText.optional(),
};

/** DESIGN.md fixes this shape: `{commandId, jobId, file: {id, name, sha256, size, url}}`. */
export const startCommandSchema = z.object({
  ...base,
  jobId: idSchema,
  file: z.object({
    id: idSchema,
    name: shortText,
    sha256: sha256Hex,
    size: z.int().nonnegative(),
    url: z.url({ protocol: /^https?$/ }),
  }),
  /** Resume an interrupted job from this file line (1-based); absent: from the start. */
  fromLine: z.int().positive().optional(),
});

export const COMMAND_SCHEMAS = {
  start: startCommandSchema,
  pause: z.object({ ...base }),
  resume: z.object({ ...base }),
  cancel: z.object({ ...base, reason: longText.optional() }),
  /** An operator confirms the bed is cleared: finished/cancelled/failed → ready. */
  clear: z.object({ ...base }),
  gcode: z.object({ ...base, lines: z.array(gcodeLineSchema).min(1).max(LIMITS.gcodeLinesPerCommand) }),
  estop: z.object({ ...base }),
  connect: z.object({ ...base, baudRate: z.union([z.literal(115200), z.literal(250000)]).optional() }),
  disconnect: z.object({ ...base }),
} as const;

export type CommandVerb = keyof typeof COMMAND_SCHEMAS;
export const COMMAND_VERBS = Object.keys(COMMAND_SCHEMAS) as CommandVerb[];
export type CommandPayload<V extends CommandVerb> = z.infer<(typeof COMMAND_SCHEMAS)[V]>;
export type StartCommand = CommandPayload<'start'>;

/** Every command is answered, matched by `commandId`. */
export const commandReplySchema = z.object({
  /** null only when the command was so malformed that its commandId could not be read. */
  commandId: commandIdSchema.nullable(),
  accepted: z.boolean(),
  reason: longText.optional(),
});
export type CommandReply = z.infer<typeof commandReplySchema>;
