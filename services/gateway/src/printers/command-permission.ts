import type { CommandVerb } from '@printfleet/contracts';
import type { Role } from '../users/roles';

export type Permission = { allowed: true } | { allowed: false; reason: string };

/** Verbs a maker may use on a printer running their own job (once ownership is known). */
const MAKER_OWN_JOB_VERBS: readonly CommandVerb[] = ['pause', 'resume', 'cancel'];

/**
 * Who may send which command. Viewers only watch. Operators and admins control every printer;
 * raw G-code (`gcode`, the console) is for admins only.
 * Makers may pause, resume or cancel their own job; the gateway cannot tell whose job is
 * running until the job-service publishes job owners, so until then makers are refused with a
 * reason that says so (`jobOwner` undefined = unknown).
 */
export function commandPermission(
  role: Role,
  verb: CommandVerb,
  caller: string,
  jobOwner?: string,
): Permission {
  if (role === 'admin') return { allowed: true };
  // Raw G-code bypasses every check the agent makes for the other verbs: admins only.
  if (verb === 'gcode')
    return { allowed: false, reason: 'only admins may send raw G-code (the console); ask an admin' };
  if (role === 'operator') return { allowed: true };
  if (role === 'viewer') return { allowed: false, reason: 'viewers can watch printers but not command them' };
  if (!MAKER_OWN_JOB_VERBS.includes(verb))
    return { allowed: false, reason: `makers cannot send "${verb}"; ask an operator` };
  if (jobOwner === undefined)
    return {
      allowed: false,
      reason: `makers may ${verb} only their own jobs, and the owner of this printer's job is not known to the gateway yet; ask an operator`,
    };
  if (jobOwner.toLowerCase() !== caller.toLowerCase())
    return {
      allowed: false,
      reason: `this job belongs to ${jobOwner}; makers may ${verb} only their own jobs`,
    };
  return { allowed: true };
}
