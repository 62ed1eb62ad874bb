/**
 * The port through which the core reads the time: the system clock in production,
 * a fixed one in a test. Domain rules never read it; they are handed `now`.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
