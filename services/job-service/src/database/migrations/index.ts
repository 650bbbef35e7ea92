import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { HistoryIndexes1795824000000 } from './1795824000000-history-indexes';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [InitialSchema1767225600000, HistoryIndexes1795824000000];
