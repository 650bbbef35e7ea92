/** What the history search, the CSV export and the statistics filter by. */
export interface HistoryFilter {
  printerId?: string;
  user?: string;
  fileId?: string;
  /** Matches the file name (substring). */
  fileName?: string;
  states?: string[];
  /**
   * ISO instants, `to` exclusive. The search and the CSV compare them with the time the job was
   * queued; the statistics with the time it ended (history-stats.ts).
   */
  from?: string;
  to?: string;
}

/** LIKE treats % and _ as wildcards: a searched name is matched literally. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
