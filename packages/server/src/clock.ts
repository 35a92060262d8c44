/** The source of "now". Injected so that tests can move time (holds, thresholds, 14-day listings). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
