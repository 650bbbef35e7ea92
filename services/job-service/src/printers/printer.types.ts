import type { PrinterProfile } from '@printfleet/scheduling';

/** The registry's view of one printer: the agent's last state plus what operators declared. */
export interface PrinterRecord {
  id: string;
  agentId: string | null;
  displayName: string | null;
  location: string | null;
  firmware: string | null;
  state: string;
  stateSeq: number | null;
  stateAt: string | null;
  firstSeenAt: string;
  updatedAt: string;
  profile: PrinterProfile;
}

export interface ProfileUpdate {
  displayName?: string | null;
  location?: string | null;
  tags?: string[];
  bed?: { x: number; y: number; z: number } | null;
  nozzleDiameter?: number | null;
  filamentType?: string | null;
}
