// Per-key request budget and concurrency cap for Ashby calls.
//
// Ashby limits requests per API key but publishes no number. Recorded responses carry
// `x-ratelimit-limit: 1000`, so each key starts with 1000 requests per minute and adopts whatever
// the `x-ratelimit-*` headers report. A 429 pauses its key for `Retry-After`. A 429 with
// `X-RateLimit-Scope: integration-partner` throttles the partner's traffic across all
// organisations, so it pauses every key in the registry. Waiters are served first in, first out.
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';

/** Waits `ms` milliseconds; rejects with the signal's reason if the signal aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export const DEFAULT_REQUESTS_PER_MINUTE = 1000;
export const DEFAULT_MAX_CONCURRENT = 8;
const WINDOW_MS = 60_000;

export interface RateLimiterOptions {
  /** Budget per key until response headers report another limit. Default 1000. */
  requestsPerMinute?: number;
  /** Requests in flight per key at once. Default 8. */
  maxConcurrent?: number;
  clock?: Clock;
  sleep?: Sleep;
}

export interface Permit {
  /** Frees the concurrency slot. Safe to call more than once. */
  release(): void;
}

export interface RateLimiterSnapshot {
  keyId: string;
  limitPerMinute: number;
  inFlight: number;
  queued: number;
  startedInLastMinute: number;
  /** Epoch ms until which this key waits (its own pause, the registry's, or the server's reset). */
  blockedUntil: number | undefined;
}

interface Waiter {
  resolve: (permit: Permit) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
}

/**
 * Parses `x-ratelimit-reset` into an epoch-ms time. The header's unit is not documented, so a
 * small number is read as seconds from now, a 10-digit one as epoch seconds and a 13-digit one as
 * epoch ms. An HTTP date is also accepted. The result is capped at one window from now, because
 * the budget is per minute and a reset further away is a misread.
 */
export function parseRateLimitReset(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  let resetAt: number | undefined;
  if (/^[+]?\d+(\.\d+)?$/.test(trimmed)) {
    const number = Number(trimmed);
    if (number < 1e6) resetAt = nowMs + number * 1000;
    else if (number < 1e11) resetAt = number * 1000;
    else resetAt = number;
  } else {
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) resetAt = date;
  }
  if (resetAt === undefined) return undefined;
  return Math.min(Math.max(resetAt, nowMs), nowMs + WINDOW_MS);
}

function parseCount(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

export class KeyRateLimiter {
  readonly keyId: string;
  private readonly registry: RateLimiterRegistry;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly maxConcurrent: number;
  private limitPerMinute: number;
  private readonly starts: number[] = [];
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private serverRemaining: number | undefined;
  private serverResetAt: number | undefined;
  private pumping = false;
  private wakeOnRelease: (() => void) | undefined;

  constructor(keyId: string, registry: RateLimiterRegistry, options: Required<RateLimiterOptions>) {
    this.keyId = keyId;
    this.registry = registry;
    this.clock = options.clock;
    this.sleep = options.sleep;
    this.maxConcurrent = Math.max(1, options.maxConcurrent);
    this.limitPerMinute = Math.max(1, options.requestsPerMinute);
  }

  /** Waits for this key's turn and a free slot. Rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined, settled: false };
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.settled) return;
          waiter.settled = true;
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /** Adopts the budget reported by `x-ratelimit-limit`, `-remaining` and `-reset`. */
  observeHeaders(headers: Headers): void {
    const now = this.clock.now();
    const limit = parseCount(headers.get('x-ratelimit-limit'));
    if (limit !== undefined && limit > 0) this.limitPerMinute = limit;
    const remaining = parseCount(headers.get('x-ratelimit-remaining'));
    if (remaining === undefined) return;
    // The observed response still occupies its slot. Other requests in flight were sent after the
    // server counted, so they come off the reported budget too.
    this.serverRemaining = remaining - Math.max(0, this.inFlight - 1);
    this.serverResetAt = parseRateLimitReset(headers.get('x-ratelimit-reset'), now) ?? now + WINDOW_MS;
  }

  /** Stops starting requests on this key for `ms` milliseconds (a per-key 429). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + Math.max(0, ms));
  }

  snapshot(): RateLimiterSnapshot {
    const now = this.clock.now();
    this.pruneStarts(now);
    const delay = this.delayBeforeNextStart(now);
    return {
      keyId: this.keyId,
      limitPerMinute: this.limitPerMinute,
      inFlight: this.inFlight,
      queued: this.queue.length,
      startedInLastMinute: this.starts.length,
      blockedUntil: delay > 0 ? now + delay : undefined,
    };
  }

  private pruneStarts(now: number): void {
    while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - WINDOW_MS) this.starts.shift();
  }

  private delayBeforeNextStart(now: number): number {
    let until = Math.max(this.pausedUntil, this.registry.pausedUntil);
    if (this.starts.length >= this.limitPerMinute) {
      const oldest = this.starts[this.starts.length - this.limitPerMinute] ?? now;
      until = Math.max(until, oldest + WINDOW_MS);
    }
    if (this.serverResetAt !== undefined && now >= this.serverResetAt) {
      this.serverRemaining = undefined;
      this.serverResetAt = undefined;
    }
    if (this.serverRemaining !== undefined && this.serverRemaining <= 0 && this.serverResetAt !== undefined) {
      until = Math.max(until, this.serverResetAt);
    }
    return Math.max(0, until - now);
  }

  // One pump per key serves the queue in order: it waits out time limits with `sleep`, waits for
  // a release when the key is at its concurrency cap, then hands the head waiter a permit.
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now();
        this.pruneStarts(now);
        const delay = this.delayBeforeNextStart(now);
        if (delay > 0) {
          await this.sleep(delay);
          continue;
        }
        if (this.inFlight >= this.maxConcurrent) {
          await new Promise<void>((resolve) => {
            this.wakeOnRelease = resolve;
          });
          continue;
        }
        const waiter = this.queue.shift();
        if (!waiter || waiter.settled) continue;
        this.start(waiter, now);
      }
    } finally {
      this.pumping = false;
    }
  }

  private start(waiter: Waiter, now: number): void {
    waiter.settled = true;
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.inFlight += 1;
    this.starts.push(now);
    if (this.serverRemaining !== undefined) this.serverRemaining -= 1;
    let released = false;
    waiter.resolve({
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        const wake = this.wakeOnRelease;
        this.wakeOnRelease = undefined;
        wake?.();
      },
    });
  }
}

/**
 * Holds one limiter per API key. Share one registry across every client of the process so that a
 * partner-scope 429 pauses all of them.
 */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, KeyRateLimiter>();
  private readonly options: Required<RateLimiterOptions>;
  private globalPausedUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.options = {
      requestsPerMinute: options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
      maxConcurrent: options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
      clock: options.clock ?? systemClock,
      sleep: options.sleep ?? realSleep,
    };
  }

  /** Returns the limiter for a key id (a hash of the key, never the key itself), creating it once. */
  forKey(keyId: string): KeyRateLimiter {
    let limiter = this.limiters.get(keyId);
    if (!limiter) {
      limiter = new KeyRateLimiter(keyId, this, this.options);
      this.limiters.set(keyId, limiter);
    }
    return limiter;
  }

  /** Stops starting requests on every key for `ms` milliseconds (a partner-scope 429). */
  pauseAll(ms: number): void {
    this.globalPausedUntil = Math.max(this.globalPausedUntil, this.options.clock.now() + Math.max(0, ms));
  }

  /** Epoch ms until which every key waits; 0 when no registry-wide pause was set. */
  get pausedUntil(): number {
    return this.globalPausedUntil;
  }

  snapshot(): RateLimiterSnapshot[] {
    return [...this.limiters.values()].map((limiter) => limiter.snapshot());
  }
}
