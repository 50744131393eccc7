// Decides when the engine reads Ashby again before a batch instead of trusting its stored copies:
// the interview plans of linked jobs and the per-client index of candidates and applications.
// Reading them before every batch would add about four calls per hundred items, mostly reading back
// the engine's own writes, so a copy is trusted until it is older than its limit. It is read sooner
// when a write failed (the write may have changed Ashby) and when Ashby rejects a write because the
// plan changed. The read times live in memory, so an engine that starts reads everything once.
import { isAshbyError } from '../ashby/errors.js';
import type { Clock } from '../clock.js';

export interface FreshnessLimits {
  /** How long a job's interview plan read from Ashby is trusted. */
  planMaxAgeMs: number;
  /** How long a stream of the index (candidates, or one job's applications) is trusted. */
  indexMaxAgeMs: number;
}

/**
 * Ashby codes that mean the job or its interview plan changed since the engine read it: a stage was
 * deleted, the job was closed or removed. The sandbox's code for a closed job is `job_not_open`.
 */
const PLAN_CHANGED_CODES = new Set([
  'interview_stage_not_found',
  'interview_plan_not_found',
  'job_not_found',
  'job_not_open',
  'job_closed',
  'job_archived',
]);

/** Returns true when Ashby rejected a write because the job's plan differs from the stored one. */
export function planChanged(error: unknown): boolean {
  return isAshbyError(error) && error.kind === 'api' && PLAN_CHANGED_CODES.has(error.ashbyCode);
}

/** Returns true for errors of calls that Ashby rejected before changing anything. */
function leavesAshbyUnchanged(error: unknown): boolean {
  return isAshbyError(error) && ['rate_limit', 'auth', 'permission'].includes(error.kind);
}

export interface Freshness {
  planIsFresh(clientId: number, jobId: string): boolean;
  notePlanRead(clientId: number, jobId: string): void;
  forgetPlan(clientId: number, jobId: string): void;
  streamIsFresh(clientId: number, stream: string): boolean;
  noteStreamRead(clientId: number, stream: string): void;
  /** Marks the client's index stale after a failed item, unless Ashby rejected the call unchanged. */
  noteFailure(clientId: number, error: unknown): void;
}

export function createFreshness(clock: Clock, limits: FreshnessLimits): Freshness {
  const planReadAt = new Map<string, number>();
  const streamReadAt = new Map<number, Map<string, number>>();

  const planKey = (clientId: number, jobId: string): string => `${clientId}\u0000${jobId}`;
  const youngerThan = (readAt: number | undefined, maxAgeMs: number): boolean =>
    readAt !== undefined && clock.now() - readAt < maxAgeMs;

  return {
    planIsFresh(clientId, jobId) {
      return youngerThan(planReadAt.get(planKey(clientId, jobId)), limits.planMaxAgeMs);
    },
    notePlanRead(clientId, jobId) {
      planReadAt.set(planKey(clientId, jobId), clock.now());
    },
    forgetPlan(clientId, jobId) {
      planReadAt.delete(planKey(clientId, jobId));
    },
    streamIsFresh(clientId, stream) {
      return youngerThan(streamReadAt.get(clientId)?.get(stream), limits.indexMaxAgeMs);
    },
    noteStreamRead(clientId, stream) {
      let streams = streamReadAt.get(clientId);
      if (streams === undefined) {
        streams = new Map();
        streamReadAt.set(clientId, streams);
      }
      streams.set(stream, clock.now());
    },
    noteFailure(clientId, error) {
      if (!leavesAshbyUnchanged(error)) streamReadAt.delete(clientId);
    },
  };
}
