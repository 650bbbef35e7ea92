import { planDispatch, type DispatchableJob, type PrinterCandidate } from './dispatch-planner';

const printer = (printerId: string, over: Partial<PrinterCandidate> = {}): PrinterCandidate => ({
  printerId,
  state: 'ready',
  online: true,
  busy: false,
  profile: { bed: { x: 200, y: 200, z: 200 }, nozzleDiameter: 0.4, filamentType: 'PLA', tags: [] },
  ...over,
});
const job = (jobId: string, position: number, over: Partial<DispatchableJob> = {}): DispatchableJob => ({
  jobId,
  position,
  targetPrinterId: null,
  constraints: {},
  bbox: { minX: 10, minY: 10, minZ: 0.2, maxX: 60, maxY: 60, maxZ: 20 },
  ...over,
});

describe('planDispatch', () => {
  it('gives two printers two of three jobs, in queue order, never two to one printer', () => {
    const plan = planDispatch([job('j3', 3), job('j1', 1), job('j2', 2)], [printer('a'), printer('b')]);
    expect(plan).toHaveLength(2);
    expect(plan.map((a) => a.jobId)).toEqual(['j1', 'j2']);
    expect(new Set(plan.map((a) => a.printerId)).size).toBe(2);
  });

  it('only uses printers that are ready, online and not busy', () => {
    const plan = planDispatch(
      [job('j1', 1), job('j2', 2), job('j3', 3)],
      [printer('a', { state: 'finished' }), printer('b', { online: false }), printer('c', { busy: true }), printer('d', { state: 'printing' })],
    );
    expect(plan).toEqual([]);
  });

  it('never sends a job whose object does not fit the bed', () => {
    const big = job('big', 1, { bbox: { minX: 0, minY: 0, minZ: 0, maxX: 250, maxY: 100, maxZ: 10 } });
    expect(planDispatch([big], [printer('small')])).toEqual([]);
    const large = printer('large', { profile: { bed: { x: 300, y: 300, z: 300 }, nozzleDiameter: 0.4, filamentType: 'PLA', tags: [] } });
    expect(planDispatch([big], [printer('small'), large])).toEqual([{ jobId: 'big', printerId: 'large' }]);
  });

  it('lets a later job use a printer the first job cannot', () => {
    const petg = job('petg', 1, { constraints: { filamentType: 'PETG' } });
    expect(planDispatch([petg, job('any', 2)], [printer('a')])).toEqual([{ jobId: 'any', printerId: 'a' }]);
  });

  it('keeps a targeted job for its printer', () => {
    const plan = planDispatch([job('mine', 1, { targetPrinterId: 'b' }), job('any', 2)], [printer('a'), printer('b')]);
    expect(plan).toEqual([
      { jobId: 'mine', printerId: 'b' },
      { jobId: 'any', printerId: 'a' },
    ]);
  });

  it('leaves the only matching printer to the pickier later job', () => {
    const tagged = printer('a', { profile: { bed: null, nozzleDiameter: 0.6, filamentType: 'PLA', tags: ['big-nozzle'] } });
    const plan = planDispatch([job('flex', 1), job('picky', 2, { constraints: { nozzleDiameter: 0.6 } })], [tagged, printer('b')]);
    expect(plan).toEqual([
      { jobId: 'flex', printerId: 'b' },
      { jobId: 'picky', printerId: 'a' },
    ]);
  });
});
