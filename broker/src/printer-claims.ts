import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Which agent speaks for which printer. A printer id is unique fleet-wide (DESIGN.md), so the
 * first agent that publishes for a printer claims it and no other agent may publish for it or
 * receive its commands. An agent gives a printer up by clearing its retained state (an empty
 * payload), e.g. when the printer moves to another host. Claims survive broker restarts.
 */
export class PrinterClaims {
  private readonly claims = new Map<string, string>();

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      for (const [printerId, agentId] of Object.entries(saved)) this.claims.set(printerId, agentId);
    } catch {
      // no file yet: nothing claimed
    }
  }

  ownerOf(printerId: string): string | undefined {
    return this.claims.get(printerId);
  }

  /** Claims an unclaimed printer for `agentId`; true when `agentId` owns it afterwards. */
  claim(printerId: string, agentId: string): boolean {
    const owner = this.claims.get(printerId);
    if (owner !== undefined) return owner === agentId;
    this.claims.set(printerId, agentId);
    this.save();
    return true;
  }

  release(printerId: string, agentId: string): void {
    if (this.claims.get(printerId) !== agentId) return;
    this.claims.delete(printerId);
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.claims), null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
