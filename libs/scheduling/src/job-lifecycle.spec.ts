import { applyJobEvent, canTransition } from './job-lifecycle';

describe('job lifecycle', () => {
  it('follows the agent through a print', () => {
    expect(applyJobEvent('dispatching', 'job.started')).toEqual({ kind: 'move', to: 'printing' });
    expect(applyJobEvent('printing', 'job.paused')).toEqual({ kind: 'move', to: 'paused' });
    expect(applyJobEvent('paused', 'job.resumed')).toEqual({ kind: 'move', to: 'printing' });
    expect(applyJobEvent('printing', 'job.finished')).toEqual({ kind: 'move', to: 'finished' });
  });

  it('treats a redelivered event as a no-op and ignores out-of-order ones', () => {
    expect(applyJobEvent('printing', 'job.started')).toEqual({ kind: 'same' });
    expect(applyJobEvent('finished', 'job.paused')).toMatchObject({ kind: 'ignore' });
    expect(applyJobEvent('cancelled', 'job.started')).toMatchObject({ kind: 'ignore' });
  });

  it('accepts an outcome when job.started was missed', () => {
    expect(applyJobEvent('dispatching', 'job.finished')).toEqual({ kind: 'move', to: 'finished' });
  });

  it("lets the agent's own outcome replace one the service inferred, and only that", () => {
    expect(applyJobEvent('failed', 'job.finished')).toMatchObject({ kind: 'ignore' });
    expect(applyJobEvent('failed', 'job.finished', { inferred: true })).toEqual({ kind: 'move', to: 'finished' });
    expect(applyJobEvent('interrupted', 'job.cancelled', { inferred: true })).toEqual({ kind: 'move', to: 'cancelled' });
    expect(applyJobEvent('failed', 'job.failed', { inferred: true })).toEqual({ kind: 'same' });
    expect(applyJobEvent('failed', 'job.resumed', { inferred: true })).toMatchObject({ kind: 'ignore' });
  });

  it('only releases a held job back to the queue or cancels it', () => {
    expect(canTransition('held', 'queued')).toBe(true);
    expect(canTransition('held', 'dispatching')).toBe(false);
  });
});
