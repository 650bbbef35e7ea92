import { z } from 'zod';

/**
 * Availability is the one payload sent as plain text, not JSON: `online` / `offline` is what
 * Home Assistant's `availability_topic` and most MQTT dashboards expect out of the box.
 */
export const availabilitySchema = z.enum(['online', 'offline']);
export type Availability = z.infer<typeof availabilitySchema>;
