import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { HistoryIndexes1795824000000 } from './1795824000000-history-indexes';
import { PrinterSettings1798761600000 } from './1798761600000-printer-settings';
import { StatsSummary1801440000000 } from './1801440000000-stats-summary';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [InitialSchema1767225600000, HistoryIndexes1795824000000, PrinterSettings1798761600000, StatsSummary1801440000000];
