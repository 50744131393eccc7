/** Time source injected into the engine, store and sandbox so tests never patch a global clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Formats a clock reading the way every table stores timestamps (ISO-8601 UTC, milliseconds). */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
