/** The clock, injectable so tests can move time (sessions, rate limits) without sleeping. */
export interface Clock {
  now(): number;
}
export const CLOCK = Symbol('gateway:clock');
export const systemClock: Clock = { now: () => Date.now() };
