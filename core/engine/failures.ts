// Turns a failed step into what happens to the outbox item, by failure class.
import { isAshbyError, type AshbyError } from '../ashby/errors.js';

export type FailureAction =
  /** Try again after `delayMs`; the item stays pending. */
  | {
      kind: 'retry';
      delayMs: number;
      code: string;
      message: string;
      countsAsAttempt: boolean;
      network: boolean;
    }
  /** The client's key was rejected: mark the client disconnected and pause its items. */
  | { kind: 'disconnect'; code: string; message: string }
  /** Something an admin must fix (mapping, validation, permission): park with a specific message. */
  | { kind: 'needs_attention'; code: string; message: string }
  /** The engine is stopping: put the item back without counting an attempt. */
  | { kind: 'release'; code: string; message: string };

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function backoffDelay(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  // Full jitter keeps many items that failed together from retrying together.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Ashby error codes that mean the role's mapping or the job changed under us. */
const MAPPING_CODES = new Set([
  'interview_stage_not_found',
  'interview_plan_not_found',
  'job_not_found',
  'job_closed',
  'job_archived',
  'archive_reason_not_found',
  'application_not_found',
]);

export function classifyFailure(
  error: unknown,
  attempts: number,
  policy: BackoffPolicy,
): FailureAction {
  if (!isAshbyError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'needs_attention',
      code: 'internal_error',
      message: `unexpected error: ${message}`,
    };
  }
  return classifyAshbyError(error, attempts, policy);
}

function classifyAshbyError(
  error: AshbyError,
  attempts: number,
  policy: BackoffPolicy,
): FailureAction {
  switch (error.kind) {
    case 'transient':
      return {
        kind: 'retry',
        delayMs: backoffDelay(attempts, policy),
        code: error.code,
        message: error.message,
        countsAsAttempt: true,
        network: error.reason === 'network' || error.reason === 'timeout',
      };
    case 'outcome_unknown':
      // The next attempt verifies in Ashby before it repeats the write, so retry soon.
      return {
        kind: 'retry',
        delayMs: policy.baseMs,
        code: error.code,
        message: error.message,
        countsAsAttempt: true,
        network: false,
      };
    case 'rate_limit':
      return {
        kind: 'retry',
        delayMs: error.retryAfterMs ?? backoffDelay(attempts, policy),
        code: error.code,
        message: error.message,
        countsAsAttempt: false,
        network: false,
      };
    case 'auth':
      return { kind: 'disconnect', code: error.code, message: error.message };
    case 'permission':
      return { kind: 'needs_attention', code: error.code, message: error.message };
    case 'cancelled':
      return { kind: 'release', code: error.code, message: error.message };
    case 'invalid_response':
      return { kind: 'needs_attention', code: error.code, message: error.message };
    case 'api': {
      const code = MAPPING_CODES.has(error.ashbyCode)
        ? `ashby_${error.ashbyCode}`
        : 'ashby_rejected';
      const detail = error.ashbyMessage ? `: ${error.ashbyMessage}` : '';
      return {
        kind: 'needs_attention',
        code,
        message: `Ashby rejected ${error.endpoint} with ${error.ashbyCode}${detail}`,
      };
    }
  }
}
