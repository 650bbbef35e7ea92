import type { Role } from '../users/roles';

/** Who is calling, as the auth guard established it; attached to the request. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  via: 'session' | 'api-key';
  /** An API key's printer: where a slicer's "print" goes (docs/integrations.md). */
  printerScope?: string;
  /** Set for session logins: the hashed token (to log out) and the CSRF token it expects. */
  session?: { tokenHash: string; csrfToken: string };
}

export type RequestWithPrincipal = { principal?: Principal };
