/** Where the identity services read the time: tests inject one they move by hand (lockout and token expiry without waiting). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
