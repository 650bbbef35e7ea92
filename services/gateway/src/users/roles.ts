/**
 * Who may do what (DESIGN.md "Who uses it"): admins manage people and settings, operators
 * control every printer and the queue, makers print their own jobs, viewers only watch.
 */
export const ROLES = ['admin', 'operator', 'maker', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
