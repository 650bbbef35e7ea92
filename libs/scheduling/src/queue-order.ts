/**
 * Moves `jobId` to `toIndex` (0-based, clamped) in the queue order `ids` and returns the new
 * order; positions are then renumbered 1..n by the caller, so they stay small and dense.
 */
export function moveInQueue(ids: readonly string[], jobId: string, toIndex: number): string[] {
  const from = ids.indexOf(jobId);
  if (from === -1) throw new Error(`job ${jobId} is not in the queue`);
  const rest = ids.filter((id) => id !== jobId);
  const at = Math.max(0, Math.min(Math.trunc(toIndex), rest.length));
  return [...rest.slice(0, at), jobId, ...rest.slice(at)];
}
