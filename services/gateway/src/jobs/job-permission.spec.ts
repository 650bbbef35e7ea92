import { jobPermission } from './job-permission';

describe('jobPermission', () => {
  it('lets operators and admins do everything', () => {
    for (const role of ['admin', 'operator'] as const)
      for (const action of ['upload', 'delete-file', 'queue', 'reprint', 'cancel', 'hold', 'release', 'move'] as const)
        expect(jobPermission(role, action, 'olga', 'mia')).toEqual({ allowed: true });
  });

  it('lets viewers change nothing', () => {
    expect(jobPermission('viewer', 'upload', 'vic')).toEqual({
      allowed: false,
      reason: expect.stringMatching(/viewers can look/),
    });
    expect(jobPermission('viewer', 'cancel', 'vic', 'vic').allowed).toBe(false);
  });

  it('lets makers upload, queue and reprint, and cancel or delete only what is theirs', () => {
    expect(jobPermission('maker', 'upload', 'mia').allowed).toBe(true);
    expect(jobPermission('maker', 'queue', 'mia').allowed).toBe(true);
    expect(jobPermission('maker', 'reprint', 'mia', 'olga').allowed).toBe(true);
    expect(jobPermission('maker', 'cancel', 'mia', 'MIA').allowed).toBe(true);
    expect(jobPermission('maker', 'cancel', 'mia', 'olga')).toEqual({
      allowed: false,
      reason: 'makers may cancel only their own jobs; this job belongs to olga',
    });
    expect(jobPermission('maker', 'delete-file', 'mia', 'olga').allowed).toBe(false);
    expect(jobPermission('maker', 'delete-file', 'mia', 'mia').allowed).toBe(true);
    expect(jobPermission('maker', 'move', 'mia', 'mia')).toEqual({
      allowed: false,
      reason: 'only operators can move jobs in the queue; ask an operator',
    });
  });
});
