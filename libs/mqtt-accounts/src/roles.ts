/** Roles for people and tools (`printfleet mqtt-user add`) and for the services themselves. */
export const PUBLIC_ROLES = ['observer', 'controller'] as const;
export const SERVICE_ROLES = ['agent', 'job-service', 'gateway'] as const;
export type PublicRole = (typeof PUBLIC_ROLES)[number];
export type MqttRole = PublicRole | (typeof SERVICE_ROLES)[number];

export interface MqttAccount {
  username: string;
  role: MqttRole;
  /** For role `agent`: the agent id it may speak for. */
  agentId?: string;
  /** scrypt parameters and output, so the cost can be raised later without breaking old hashes. */
  hash: { algo: 'scrypt'; N: number; r: number; p: number; salt: string; key: string };
  createdAt: string;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The account name each service connects with; agents get one per agent id. */
export const serviceUsername = (role: 'job-service' | 'gateway' | 'agent', agentId?: string) =>
  role === 'agent' ? `agent-${agentId}` : role;
