import { Accounts1767300000000 } from './1767300000000-accounts';
import { ApiKeyPrinterScope1780000000000 } from './1780000000000-api-key-printer-scope';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [Accounts1767300000000, ApiKeyPrinterScope1780000000000];
