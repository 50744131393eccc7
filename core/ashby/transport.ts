// One Ashby call over HTTP: rate limiting, the Basic-auth header, the per-attempt timeout,
// cancellation, retries, error mapping, schema validation and the per-attempt hook.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { createLogger, registerSecret } from '../log/logger.js';
import type { RetryOptions } from './backoff.js';
import { DEFAULT_RETRY, backoffDelay } from './backoff.js';
import { classifyFailure, classifyResponse } from './error-mapping.js';
import type { AshbyError, AshbyErrorKind } from './errors.js';
import { AshbyCancelledError, AshbyInvalidResponseError, describeIssues } from './errors.js';
import type { KeyRateLimiter, Permit, RateLimiterSnapshot, Sleep } from './rate-limiter.js';
import { RateLimiterRegistry, realSleep } from './rate-limiter.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The subset of a pino logger the client uses. */
export interface AshbyLogger {
  debug(object: Record<string, unknown>, message?: string): void;
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
}

/** One HTTP attempt, reported to `onResponse` whether it succeeded or not. */
export interface AshbyCallEvent {
  endpoint: string;
  label: string | undefined;
  /** 1-based attempt number within the call. */
  attempt: number;
  /** HTTP status; undefined when no response arrived (timeout, network failure, cancellation). */
  status: number | undefined;
  durationMs: number;
  requestId: string | undefined;
  isWrite: boolean;
  ok: boolean;
  errorKind: AshbyErrorKind | undefined;
  errorCode: string | undefined;
}

/** Metadata of a completed call. */
export interface CallMeta {
  endpoint: string;
  requestId: string | undefined;
  status: number;
  /** Attempts made, counting the successful one. */
  attempts: number;
  /** Time from the first attempt's start to the end, waits included. */
  durationMs: number;
  /** Ashby's partial-success `warnings` codes, if any. */
  warnings: string[];
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  /** Tenant name used in error messages ("Ashby rejected the API key for Acme"). */
  label?: string;
  /** Shared registry; one process-wide registry lets a partner-scope 429 pause every key. */
  limiter?: RateLimiterRegistry;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  fetch?: typeof fetch;
  clock?: Clock;
  sleep?: Sleep;
  /** Random source for backoff jitter, in [0, 1). */
  random?: () => number;
  logger?: AshbyLogger;
  onResponse?: (event: AshbyCallEvent) => void;
}

export interface CallStats {
  /** HTTP attempts sent to Ashby's API (uploads to presigned URLs are counted separately). */
  requests: number;
  byEndpoint: Record<string, number>;
  uploads: number;
}

export type RequestBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'multipart'; build: () => FormData };

/** Derives a stable, non-secret id for a key, used to find its rate limiter. */
export function keyIdFor(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/** Abort signal of one HTTP attempt, with the timer and caller link that feed it. */
export interface AttemptSignal {
  signal: AbortSignal;
  /** True once the timeout, not the caller, has aborted the attempt. */
  readonly timedOut: boolean;
  /** Clears the timer and unlinks the attempt from the caller's signal, when the attempt ends. */
  dispose(): void;
}

// Attempts in flight per caller signal. Each caller signal gets one `abort` listener that aborts
// every attempt linked to it, so 30 attempts in flight add 1 listener, not 30 (Node warns about a
// possible leak above 10 listeners on one signal).
const attemptsByCaller = new WeakMap<AbortSignal, Set<AbortController>>();

function linkToCaller(caller: AbortSignal, attempt: AbortController): () => void {
  let attempts = attemptsByCaller.get(caller);
  if (attempts === undefined) {
    const created = new Set<AbortController>();
    attemptsByCaller.set(caller, created);
    caller.addEventListener(
      'abort',
      () => {
        for (const linked of created) linked.abort(caller.reason);
        created.clear();
      },
      { once: true },
    );
    attempts = created;
  }
  attempts.add(attempt);
  const linked = attempts;
  return () => linked.delete(attempt);
}

/**
 * Creates a signal that aborts when `caller` aborts or after `timeoutMs`. It replaces
 * `AbortSignal.any`, because in Node 20.20 each signal that `any` returns stays listed, by weak
 * reference, on every source signal until that source is collected. The caller is usually the
 * engine's signal, which lives for the whole session, so each call would leave one entry behind.
 */
export function attemptSignal(caller: AbortSignal | undefined, timeoutMs: number): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  let unlink = (): void => {};
  if (caller?.aborted) controller.abort(caller.reason);
  else if (caller !== undefined) unlink = linkToCaller(caller, controller);

  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      unlink();
    },
  };
}

export class AshbyTransport {
  readonly label: string | undefined;
  readonly baseUrl: string;
  readonly limiter: KeyRateLimiter;
  readonly registry: RateLimiterRegistry;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly fetchImpl: typeof fetch;
  readonly clock: Clock;
  readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly logger: AshbyLogger;
  private readonly onResponse: ((event: AshbyCallEvent) => void) | undefined;
  private readonly authorization: string | undefined;
  private readonly counters: CallStats = { requests: 0, byEndpoint: {}, uploads: 0 };

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.label = options.label;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? createLogger('ashby');
    this.onResponse = options.onResponse;
    this.registry = options.limiter ?? new RateLimiterRegistry({ clock: this.clock, sleep: this.sleep });
    this.limiter = this.registry.forKey(keyIdFor(options.apiKey));
    // Built once; the key then lives only in this header string. Registering it lets the log
    // scrubber replace it should it ever reach a log line.
    if (options.apiKey !== '') {
      registerSecret(options.apiKey);
      this.authorization = `Basic ${Buffer.from(`${options.apiKey}:`, 'utf8').toString('base64')}`;
    }
  }

  /** Returns the rate-limit state of this client's key. */
  rateLimitState(): RateLimiterSnapshot {
    return this.limiter.snapshot();
  }

  /** Counts one upload to a presigned URL, which is not an Ashby API request. */
  countUpload(): void {
    this.counters.uploads += 1;
  }

  stats(): CallStats {
    return { ...this.counters, byEndpoint: { ...this.counters.byEndpoint } };
  }

  /**
   * Sends one call and returns the parsed body. Reads are retried on transient failures; every
   * call waits out 429s within the retry allowance. A write is never sent twice after a failure
   * that may have reached Ashby.
   */
  async call<T extends z.ZodType>(
    endpoint: string,
    body: RequestBody,
    schema: T,
    options: { isWrite: boolean; signal?: AbortSignal | undefined },
  ): Promise<{ data: z.infer<T>; meta: CallMeta }> {
    const started = this.clock.now();
    let rateLimitWaits = 0;
    let transientFailures = 0;

    for (let attempt = 1; ; attempt += 1) {
      const result = await this.attempt(endpoint, body, options, attempt);
      if (result.ok) {
        const parsed = schema.safeParse(result.body);
        if (!parsed.success) {
          throw new AshbyInvalidResponseError(
            { endpoint, label: this.label, requestId: result.requestId, status: result.status, attempts: attempt },
            describeIssues(parsed.error.issues),
            parsed.error.issues,
          );
        }
        const warnings = (result.body as { warnings?: unknown }).warnings;
        return {
          data: parsed.data,
          meta: {
            endpoint,
            requestId: result.requestId,
            status: result.status,
            attempts: attempt,
            durationMs: this.clock.now() - started,
            warnings: Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [],
          },
        };
      }

      const error = result.error;
      error.attempts = attempt;
      if (error.kind === 'rate_limit') {
        // attempt() has already paused the key (or every key); the next acquire waits it out.
        const pauseMs = result.pauseMs ?? 0;
        const canWait = rateLimitWaits < this.retry.maxRateLimitWaits && pauseMs <= this.retry.maxRetryAfterMs;
        if (!canWait) throw error;
        rateLimitWaits += 1;
        this.logger.info(
          { endpoint, attempt, pauseMs, partnerScope: error.partnerScope, requestId: error.requestId },
          'Ashby rate limit reached; waiting before sending again',
        );
        continue;
      }
      if (error.kind === 'transient' && !options.isWrite) {
        transientFailures += 1;
        if (transientFailures < this.retry.maxAttempts) {
          const delay = backoffDelay(transientFailures, this.retry, this.random);
          this.logger.info(
            { endpoint, attempt, delayMs: delay, code: error.code, status: error.status, requestId: error.requestId },
            'Ashby read failed; retrying',
          );
          try {
            await this.sleep(delay, options.signal);
          } catch {
            throw new AshbyCancelledError({ endpoint, label: this.label, attempts: attempt });
          }
          continue;
        }
      }
      throw error;
    }
  }

  private async attempt(
    endpoint: string,
    body: RequestBody,
    options: { isWrite: boolean; signal?: AbortSignal | undefined },
    attempt: number,
  ): Promise<
    | { ok: true; body: unknown; requestId: string | undefined; status: number }
    | { ok: false; error: AshbyError; pauseMs?: number }
  > {
    const context = { endpoint, label: this.label, attempts: attempt };
    if (options.signal?.aborted) return { ok: false, error: new AshbyCancelledError(context) };

    let permit: Permit;
    try {
      permit = await this.limiter.acquire(options.signal);
    } catch {
      return { ok: false, error: new AshbyCancelledError(context) };
    }

    const started = this.clock.now();
    const attemptAbort = attemptSignal(options.signal, this.timeoutMs);
    let status: number | undefined;

    let result: { ok: true; body: unknown; requestId: string | undefined; status: number } | { ok: false; error: AshbyError };
    try {
      const headers: Record<string, string> = { Accept: 'application/json; version=1' };
      if (this.authorization) headers.Authorization = this.authorization;
      let payload: string | FormData;
      if (body.kind === 'json') {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body.value ?? {});
      } else {
        payload = body.build();
      }
      this.counters.requests += 1;
      this.counters.byEndpoint[endpoint] = (this.counters.byEndpoint[endpoint] ?? 0) + 1;
      const response = await this.fetchImpl(`${this.baseUrl}/${endpoint}`, {
        method: 'POST',
        headers,
        body: payload,
        signal: attemptAbort.signal,
      });
      status = response.status;
      this.limiter.observeHeaders(response.headers);
      const text = await response.text();
      const classified = classifyResponse(response.status, response.headers, text, {
        endpoint,
        label: this.label,
        isWrite: options.isWrite,
        attempts: attempt,
        nowMs: this.clock.now(),
      });
      result = classified.ok
        ? { ok: true, body: classified.body, requestId: classified.requestId, status: response.status }
        : { ok: false, error: classified.error };
    } catch (caught) {
      if (options.signal?.aborted) {
        // Once a write has been sent, cancelling it does not tell whether Ashby applied it.
        result = { ok: false, error: new AshbyCancelledError({ ...context, status }, { writeMayHaveApplied: options.isWrite }) };
      } else {
        const failure = classifyFailure(caught, { ...context, isWrite: options.isWrite, timedOut: attemptAbort.timedOut, timeoutMs: this.timeoutMs });
        result = { ok: false, error: failure };
      }
    } finally {
      attemptAbort.dispose();
      permit.release();
    }

    // Pause before reporting, so an onResponse hook already observes the pause the 429 caused.
    let pauseMs: number | undefined;
    if (!result.ok && result.error.kind === 'rate_limit') {
      const fallback = Math.max(1000, backoffDelay(attempt, this.retry, this.random));
      pauseMs = result.error.retryAfterMs ?? fallback;
      if (result.error.partnerScope) this.registry.pauseAll(pauseMs);
      else this.limiter.pause(pauseMs);
    }

    this.report({
      endpoint,
      label: this.label,
      attempt,
      status,
      durationMs: this.clock.now() - started,
      requestId: result.ok ? result.requestId : result.error.requestId,
      isWrite: options.isWrite,
      ok: result.ok,
      errorKind: result.ok ? undefined : result.error.kind,
      errorCode: result.ok ? undefined : result.error.code,
    });
    return result.ok ? result : { ...result, pauseMs };
  }

  /** Reports one HTTP attempt to the log and the `onResponse` hook. */
  report(event: AshbyCallEvent): void {
    const fields = {
      endpoint: event.endpoint,
      status: event.status,
      durationMs: event.durationMs,
      requestId: event.requestId,
      attempt: event.attempt,
    };
    // Failed attempts log at info: the caller receives the error and decides how loud it is.
    if (event.ok) this.logger.debug(fields, 'Ashby call succeeded');
    else this.logger.info({ ...fields, code: event.errorCode }, 'Ashby call failed');
    if (!this.onResponse) return;
    try {
      this.onResponse(event);
    } catch (hookError) {
      this.logger.warn(
        { endpoint: event.endpoint, error: hookError instanceof Error ? hookError.message : String(hookError) },
        'onResponse hook threw; ignored',
      );
    }
  }
}
