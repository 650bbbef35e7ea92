import { Injectable } from '@nestjs/common';
import { nowIso } from '../clock';
import { Database } from '../database/database.repository';
import type { PrinterRecord, ProfileUpdate } from './printer.types';

interface PrinterRow {
  id: string;
  agent_id: string | null;
  display_name: string | null;
  location: string | null;
  tags: string;
  bed_x: number | null;
  bed_y: number | null;
  bed_z: number | null;
  nozzle_diameter: number | null;
  filament_type: string | null;
  firmware: string | null;
  state: string;
  state_seq: number | null;
  state_at: string | null;
  first_seen_at: string;
  updated_at: string;
}

const toRecord = (r: PrinterRow): PrinterRecord => ({
  id: r.id,
  agentId: r.agent_id,
  displayName: r.display_name,
  location: r.location,
  firmware: r.firmware,
  state: r.state,
  stateSeq: r.state_seq,
  stateAt: r.state_at,
  firstSeenAt: r.first_seen_at,
  updatedAt: r.updated_at,
  profile: {
    bed: r.bed_x !== null && r.bed_y !== null && r.bed_z !== null ? { x: r.bed_x, y: r.bed_y, z: r.bed_z } : null,
    nozzleDiameter: r.nozzle_diameter,
    filamentType: r.filament_type,
    tags: JSON.parse(r.tags) as string[],
  },
});

export interface ObservedState {
  printerId: string;
  agentId: string;
  state: string;
  seq: number;
  ts: string;
  displayName?: string;
  firmware?: string;
}

@Injectable()
export class PrinterRepository {
  constructor(private readonly db: Database) {}

  async list(): Promise<PrinterRecord[]> {
    const rows = await this.db.query<PrinterRow>(`SELECT * FROM printers ORDER BY id`);
    return rows.map(toRecord);
  }

  async get(id: string): Promise<PrinterRecord | null> {
    const rows = await this.db.query<PrinterRow>(`SELECT * FROM printers WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Records a state the agent published; the display name is the agent's only until an operator sets one. */
  async observe(s: ObservedState): Promise<void> {
    const now = nowIso();
    await this.db.query(
      `INSERT INTO printers (id, agent_id, display_name, firmware, state, state_seq, state_at, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, state = excluded.state, state_seq = excluded.state_seq,
         state_at = excluded.state_at, firmware = COALESCE(excluded.firmware, printers.firmware),
         display_name = COALESCE(printers.display_name, excluded.display_name), updated_at = excluded.updated_at`,
      [s.printerId, s.agentId, s.displayName ?? null, s.firmware ?? null, s.state, s.seq, s.ts, now, now],
    );
  }

  /** Creates the printer if an operator profiles it before it was ever seen. */
  async updateProfile(id: string, u: ProfileUpdate): Promise<void> {
    const now = nowIso();
    await this.db.transaction(async (m) => {
      await m.query(`INSERT INTO printers (id, first_seen_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`, [id, now, now]);
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (col: string, value: unknown) => {
        sets.push(`${col} = ?`);
        params.push(value);
      };
      if (u.displayName !== undefined) set('display_name', u.displayName);
      if (u.location !== undefined) set('location', u.location);
      if (u.tags !== undefined) set('tags', JSON.stringify(u.tags));
      if (u.bed !== undefined) {
        set('bed_x', u.bed?.x ?? null);
        set('bed_y', u.bed?.y ?? null);
        set('bed_z', u.bed?.z ?? null);
      }
      if (u.nozzleDiameter !== undefined) set('nozzle_diameter', u.nozzleDiameter);
      if (u.filamentType !== undefined) set('filament_type', u.filamentType);
      set('updated_at', now);
      await m.query(`UPDATE printers SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
    });
  }
}
