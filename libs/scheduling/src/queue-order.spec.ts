import { moveInQueue } from './queue-order';

describe('moveInQueue', () => {
  it('moves a job to the front, the back, or clamps', () => {
    expect(moveInQueue(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(moveInQueue(['a', 'b', 'c'], 'a', 99)).toEqual(['b', 'c', 'a']);
    expect(moveInQueue(['a', 'b', 'c'], 'b', -4)).toEqual(['b', 'a', 'c']);
  });

  it('refuses a job that is not queued', () => {
    expect(() => moveInQueue(['a'], 'z', 0)).toThrow('not in the queue');
  });
});
