import type { Role } from '../users/roles';
import type { Permission } from '../printers/command-permission';

/** What can be done to files and jobs through the gateway. */
export type JobAction =
  | 'upload'
  | 'delete-file'
  | 'queue'
  | 'reprint'
  | 'cancel'
  | 'hold'
  | 'release'
  | 'move';

const QUEUE_MANAGEMENT: readonly JobAction[] = ['hold', 'release', 'move'];

/**
 * Who may do what with files and jobs (issue #7): every role reads. Makers upload, queue (a
 * reprint is a new job of their own), cancel their own jobs and delete the files they uploaded.
 * Operators and admins do everything, including reordering and holding the queue. `owner` is the
 * job's `requestedBy` or the file's `uploadedBy`, as the job-service recorded it.
 */
export function jobPermission(role: Role, action: JobAction, caller: string, owner?: string): Permission {
  if (role === 'admin' || role === 'operator') return { allowed: true };
  if (role === 'viewer') return { allowed: false, reason: 'viewers can look at files, jobs and the queue but not change them' };
  if (action === 'upload' || action === 'queue' || action === 'reprint') return { allowed: true };
  if (QUEUE_MANAGEMENT.includes(action))
    return { allowed: false, reason: `only operators can ${action} jobs in the queue; ask an operator` };
  const what = action === 'cancel' ? 'cancel only their own jobs' : 'delete only files they uploaded';
  if (owner === undefined || owner.toLowerCase() !== caller.toLowerCase())
    return {
      allowed: false,
      reason: `makers may ${what}; this ${action === 'cancel' ? 'job' : 'file'} belongs to ${owner ?? 'someone else'}`,
    };
  return { allowed: true };
}
