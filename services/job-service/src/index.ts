/** What other packages may use without booting the service (the CLI's `printfleet backup`). */
export { backupDatabase } from './database/backup';
export { databaseFile } from './database/data-source';
export { internalTokenFile } from './http/internal-token';
