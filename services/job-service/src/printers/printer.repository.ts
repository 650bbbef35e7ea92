import { Injectable } from '@nestjs/common';
import type { PrinterSettings } from '@printfleet/contracts';
import { nowIso } from '../clock';
import { Database } from '../database/database.repository';
import type { PrinterRecord, ProfileUpdate } from './printer.types';

interface PrinterRow {
  id: string;
  agent_id: string | null;
  agent_name: string | null;
  name_override: string | null;
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
  pause_script: string | null;
  cancel_script: string | null;
  settings_updated_at: string | null;
  first_seen_at: string;
  updated_at: string;
}

const script = (json: string | null): string[] | null => (json === null ? null : (JSON.parse(json) as string[]));

const toRecord = (r: PrinterRow): PrinterRecord => ({
  id: r.id,
  agentId: r.agent_id,
  displayName: r.name_override ?? r.agent_name,
  nameOverride: r.name_override,
  agentName: r.agent_name,
  location: r.location,
  firmware: r.firmware,
  state: r.state,
  stateSeq: r.state_seq,
  stateAt: r.state_at,
  firstSeenAt: r.first_seen_at,
  updatedAt: r.updated_at,
  pauseScript: script(r.pause_script),
  cancelScript: script(r.cancel_script),
  profile: {
    bed: r.bed_x !== null && r.bed_y !== null && r.bed_z !== null ? { x: r.bed_x, y: r.bed_y, z: r.bed_z } : null,
    nozzleDiameter: r.nozzle_diameter,
    filamentType: r.filament_type,
    tags: JSON.parse(r.tags) as string[],
  },
});

/**
 * Only the operator's name goes to the agent: sending the agent's own name back would make it an
 * override the agent could never change. `updatedAt` is when the settings last changed, not the
 * row's `updated_at`, which every state the agent publishes moves on.
 */
const toSettings = (r: PrinterRow): PrinterSettings => ({
  printerId: r.id,
  displayName: r.name_override,
  pauseScript: script(r.pause_script),
  cancelScript: script(r.cancel_script),
  updatedAt: r.settings_updated_at ?? r.updated_at,
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

  /**
   * Records a state the agent published. Its display name is stored as the agent's own, unless it
   * is the operator's override: the agent shows that name once it has the settings, and taking
   * the echo for its own name would bring the override back after an operator clears it. This
   * never writes the override or publishes anything, so the round trip cannot loop.
   */
  async observe(s: ObservedState): Promise<void> {
    const now = nowIso();
    await this.db.query(
      `INSERT INTO printers (id, agent_id, agent_name, firmware, state, state_seq, state_at, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, state = excluded.state, state_seq = excluded.state_seq,
         state_at = excluded.state_at, firmware = COALESCE(excluded.firmware, printers.firmware),
         agent_name = CASE WHEN excluded.agent_name = printers.name_override THEN printers.agent_name ELSE excluded.agent_name END,
         updated_at = excluded.updated_at`,
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
      if (u.displayName !== undefined) set('name_override', u.displayName);
      if (u.location !== undefined) set('location', u.location);
      if (u.tags !== undefined) set('tags', JSON.stringify(u.tags));
      if (u.bed !== undefined) {
        set('bed_x', u.bed?.x ?? null);
        set('bed_y', u.bed?.y ?? null);
        set('bed_z', u.bed?.z ?? null);
      }
      if (u.nozzleDiameter !== undefined) set('nozzle_diameter', u.nozzleDiameter);
      if (u.filamentType !== undefined) set('filament_type', u.filamentType);
      if (u.pauseScript !== undefined) set('pause_script', u.pauseScript === null ? null : JSON.stringify(u.pauseScript));
      if (u.cancelScript !== undefined) set('cancel_script', u.cancelScript === null ? null : JSON.stringify(u.cancelScript));
      if (u.displayName !== undefined || u.pauseScript !== undefined || u.cancelScript !== undefined) set('settings_updated_at', now);
      set('updated_at', now);
      await m.query(`UPDATE printers SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
    });
  }

  /** What the agent of printer `id` should apply, as the database holds it now. */
  async settings(id: string): Promise<PrinterSettings | null> {
    const rows = await this.db.query<PrinterRow>(`SELECT * FROM printers WHERE id = ?`, [id]);
    return rows[0] ? toSettings(rows[0]) : null;
  }

  /**
   * The settings to publish again after a (re)connect: every printer with a name override or a
   * script, and every printer whose settings were cleared, with its nulls: should the service
   * have stopped before a clear reached the broker, the old settings are still retained there.
   */
  async settingsToRepublish(): Promise<PrinterSettings[]> {
    const rows = await this.db.query<PrinterRow>(
      `SELECT * FROM printers
       WHERE name_override IS NOT NULL OR pause_script IS NOT NULL OR cancel_script IS NOT NULL OR settings_updated_at IS NOT NULL
       ORDER BY id`,
    );
    return rows.map(toSettings);
  }
}
