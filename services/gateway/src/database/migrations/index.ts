import { Accounts1767300000000 } from './1767300000000-accounts';
import { ApiKeyPrinterScope1780000000000 } from './1780000000000-api-key-printer-scope';
import { WebhookDeliveries1795800000000 } from './1795800000000-webhook-deliveries';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [Accounts1767300000000, ApiKeyPrinterScope1780000000000, WebhookDeliveries1795800000000];
