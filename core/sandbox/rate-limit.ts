/** Per-key fixed-window limiter on the sandbox clock: `limit` requests per 60-second window. */
export const RATE_WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Clock reading (ms) when the current window ends and the budget refills. */
  resetAtMs: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number) {}

  take(key: string, nowMs: number): RateDecision {
    const start = Math.floor(nowMs / RATE_WINDOW_MS) * RATE_WINDOW_MS;
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    const resetAtMs = start + RATE_WINDOW_MS;
    if (window.count >= this.limit) {
      return { allowed: false, limit: this.limit, remaining: 0, resetAtMs };
    }
    window.count += 1;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.count, resetAtMs };
  }
}
