/** T commands: the tools used, and how often the active tool changed. */
export class ToolChanges {
  changes = 0;
  private readonly used = new Set<number>();
  private current = -1;

  select(tool: number): void {
    if (tool < 0) return;
    this.used.add(tool);
    if (this.current >= 0 && tool !== this.current) this.changes++;
    this.current = tool;
  }

  toolsUsed(): number[] {
    return [...this.used].sort((a, b) => a - b);
  }
}
