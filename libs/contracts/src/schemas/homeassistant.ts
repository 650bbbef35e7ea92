import { z } from 'zod';

/** Where Home Assistant reads whether an entity is available: `online` / `offline`, or a template of the payload. */
const availabilityEntrySchema = z.object({
  topic: z.string().min(1),
  value_template: z.string().optional(),
});

/**
 * The retained payload the gateway publishes on a Home Assistant discovery topic: one entity of
 * one printer, in HA's MQTT discovery vocabulary (abbreviations are not used). Sensors carry
 * `state_topic` + `value_template` (printfleet's own state/telemetry topics), buttons carry
 * `command_topic` + `command_template` (printfleet's command topics, so a press goes through the
 * same validation and ACLs as any command). HA ignores fields it does not know; so may readers of this.
 */
export const homeAssistantDiscoveryConfigSchema = z.object({
  name: z.string().min(1),
  unique_id: z.string().min(1),
  state_topic: z.string().min(1).optional(),
  value_template: z.string().optional(),
  command_topic: z.string().min(1).optional(),
  command_template: z.string().optional(),
  retain: z.boolean().optional(),
  device_class: z.string().optional(),
  state_class: z.string().optional(),
  unit_of_measurement: z.string().optional(),
  entity_category: z.enum(['config', 'diagnostic']).optional(),
  icon: z.string().optional(),
  options: z.array(z.string()).optional(),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  availability: z.array(availabilityEntrySchema).min(1),
  availability_mode: z.enum(['all', 'any', 'latest']),
  device: z.object({
    identifiers: z.array(z.string().min(1)).min(1),
    name: z.string().min(1),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    sw_version: z.string().optional(),
  }),
  origin: z.object({ name: z.string().min(1) }),
});
export type HomeAssistantDiscoveryConfig = z.infer<typeof homeAssistantDiscoveryConfigSchema>;
