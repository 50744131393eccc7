// Retry policy for Ashby calls: exponential backoff with jitter for transient failures of reads,
// and a separate allowance for waiting out 429s. A 429 means Ashby did not run the request, so
// waiting and sending it again is safe for writes too.

export interface RetryOptions {
  /** Attempts per read when failures are transient (5xx, timeout, network), counting the first. Default 4. */
  maxAttempts: number;
  /** Delay before the second attempt; later delays double. Default 500 ms. */
  baseDelayMs: number;
  /** Upper bound on one backoff delay. Default 30 s. */
  maxDelayMs: number;
  /** 429 responses waited out per call before the rate-limit error is returned. Default 5. */
  maxRateLimitWaits: number;
  /** A `Retry-After` longer than this is returned to the caller instead of waited out. Default 120 s. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitWaits: 5,
  maxRetryAfterMs: 120_000,
};

/**
 * Delay after failed attempt `attempt` (1-based): half of `baseDelayMs * 2^(attempt-1)` (capped at
 * `maxDelayMs`) plus a random share of the other half, so retries from many callers spread out
 * but never come back immediately.
 */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
