import type { PrinterProfile } from '@printfleet/scheduling';

/** The registry's view of one printer: the agent's last state plus what operators declared. */
export interface PrinterRecord {
  id: string;
  agentId: string | null;
  /** What users see: the operator's name if one is set, else the agent's. */
  displayName: string | null;
  /** The name an operator set (`PUT …/profile` `displayName`), published to the agent; null: none. */
  nameOverride: string | null;
  /** The name the agent last published for the printer (its own, never an echo of the override). */
  agentName: string | null;
  location: string | null;
  firmware: string | null;
  state: string;
  stateSeq: number | null;
  stateAt: string | null;
  firstSeenAt: string;
  updatedAt: string;
  /** G-code the agent runs on pause / cancel; null: the agent's own default. */
  pauseScript: string[] | null;
  cancelScript: string[] | null;
  profile: PrinterProfile;
}

/** A field left out is kept; null clears it. */
export interface ProfileUpdate {
  displayName?: string | null;
  location?: string | null;
  tags?: string[];
  bed?: { x: number; y: number; z: number } | null;
  nozzleDiameter?: number | null;
  filamentType?: string | null;
  pauseScript?: string[] | null;
  cancelScript?: string[] | null;
}
