import { mismatches, type BoundingBox, type JobConstraints, type PrinterProfile } from './constraints';

/** A job the dispatcher may start: state `queued` (held and dispatching jobs are not passed in). */
export interface DispatchableJob {
  jobId: string;
  /** Queue order: lower goes first. */
  position: number;
  /** A job sent to one printer waits for that printer; null: any matching printer. */
  targetPrinterId: string | null;
  constraints: JobConstraints;
  bbox: BoundingBox | null;
}

export interface PrinterCandidate {
  printerId: string;
  /** The agent's retained state name (`ready` means connected, idle, bed confirmed cleared). */
  state: string;
  /** Its agent is online (a dead agent's last retained state may still say `ready`). */
  online: boolean;
  /** Has a job in dispatching / printing / paused. */
  busy: boolean;
  profile: PrinterProfile;
}

export interface Assignment {
  jobId: string;
  printerId: string;
}

const isFree = (p: PrinterCandidate) => p.state === 'ready' && p.online && !p.busy;

export function canRun(job: DispatchableJob, printer: PrinterCandidate): boolean {
  if (job.targetPrinterId !== null && job.targetPrinterId !== printer.printerId) return false;
  return mismatches(job.constraints, job.bbox, printer.profile).length === 0;
}

/**
 * Which queued jobs start now, and where. Jobs are served in queue order; each free printer gets
 * at most one job and each job at most one printer, so the plan can never put two jobs on one
 * printer. When several printers could take a job, the one fewest later jobs could use is
 * chosen, so a flexible job does not take the only printer a pickier job fits (ties: by id, so
 * plans are reproducible).
 */
export function planDispatch(jobs: readonly DispatchableJob[], printers: readonly PrinterCandidate[]): Assignment[] {
  const free = printers.filter(isFree).sort((a, b) => a.printerId.localeCompare(b.printerId));
  const queue = [...jobs].sort((a, b) => a.position - b.position || a.jobId.localeCompare(b.jobId));
  const taken = new Set<string>();
  const plan: Assignment[] = [];
  queue.forEach((job, index) => {
    const candidates = free.filter((p) => !taken.has(p.printerId) && canRun(job, p));
    if (candidates.length === 0) return;
    const later = queue.slice(index + 1);
    const demand = (p: PrinterCandidate) => later.filter((j) => canRun(j, p)).length;
    const best = candidates.reduce((a, b) => (demand(b) < demand(a) ? b : a));
    taken.add(best.printerId);
    plan.push({ jobId: job.jobId, printerId: best.printerId });
  });
  return plan;
}
