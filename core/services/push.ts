// Push services: plan and start a bulk push of a role or a manual push of one candidate, and run
// the engine until nothing in the outbox is runnable (the CLI's `sync`).
import { EVENT_FOR_STATE, type LifecycleEvent, type OutboxStatus } from '../../shared/domain.js';
import { AppError } from '../../shared/errors.js';
import { isoNow } from '../clock.js';
import type { TaskProgress } from '../engine/events.js';
import type { BulkPushPlan } from '../engine/runs.js';
import type { Candidate } from '../store/repo/candidates.js';
import { requireRole } from '../store/repo/roles.js';
import type { Services } from './context.js';
import { requireClientRef, resolveCandidate, resolveRole, type ClientRef } from './lookup.js';

export interface CandidatePushPlan {
  candidateId: number;
  externalId: string;
  name: string;
  event: LifecycleEvent;
  /** Stage the push targets on the linked job, when the job's plan has been read. */
  stage: string | null;
  /** One sentence: what the push will do in Ashby as far as the console knows. */
  summary: string;
}

export type PushPlan = { kind: 'bulk'; roleId: number; bulk: BulkPushPlan } | { kind: 'candidate'; roleId: number; candidate: CandidatePushPlan };

export interface PushResult {
  plan: PushPlan;
  dryRun: boolean;
  /** Bulk push run id; null for a manual push, a dry run or a push with nothing to send. */
  runId: number | null;
  /** Outbox item of a manual push. */
  outboxId: number | null;
}

export interface PushOptions {
  /** Console id or export id of one candidate: a manual push of that candidate only. */
  candidate?: string | number;
  /** Return the plan without queuing anything or calling Ashby. */
  dryRun?: boolean;
}

function candidatePlan(services: Services, roleId: number, candidate: Candidate): CandidatePushPlan {
  const event = EVENT_FOR_STATE[candidate.state];
  const mapping = services.engine.stageMapping(roleId).events.find((entry) => entry.event === event);
  const stage = mapping?.stage?.title ?? null;
  const target = stage === null ? `the stage for ${event} (${mapping?.problem ?? 'not known yet'})` : `stage "${stage}"`;
  const summary =
    candidate.ashbyStatus === 'linked'
      ? `move ${candidate.name}'s existing application to ${target}, unless it is already past it`
      : `look ${candidate.name} up in Ashby by email, then LinkedIn; link or create the candidate and place the application at ${target}`;
  return { candidateId: candidate.id, externalId: candidate.externalId, name: candidate.name, event, stage, summary };
}

/** Describes what a push would send, without queuing anything or calling Ashby. */
export function planPush(services: Services, clientRef: ClientRef, roleRef: string | number, options: Pick<PushOptions, 'candidate'> = {}): PushPlan {
  const client = requireClientRef(services, clientRef);
  const role = resolveRole(services, client.id, roleRef);
  if (options.candidate !== undefined) {
    const candidate = resolveCandidate(services, role, options.candidate);
    return { kind: 'candidate', roleId: role.id, candidate: candidatePlan(services, role.id, candidate) };
  }
  return { kind: 'bulk', roleId: role.id, bulk: services.engine.planBulkPush(role.id) };
}

/**
 * Queues a bulk push of the role (every unlinked candidate whose state matches an enabled event)
 * or a manual push of one candidate (whatever the event toggles). The engine sends the items.
 */
export async function push(services: Services, clientRef: ClientRef, roleRef: string | number, options: PushOptions = {}): Promise<PushResult> {
  const plan = planPush(services, clientRef, roleRef, options);
  const dryRun = options.dryRun ?? false;
  if (dryRun) return { plan, dryRun, runId: null, outboxId: null };
  if (plan.kind === 'candidate') {
    const role = requireRole(services.db, plan.roleId);
    if (role.ashbyJobId === null) {
      throw new AppError('validation_failed', `Role "${role.title}" is not linked to an Ashby job yet; link it to a job before pushing.`);
    }
    const outboxId = services.engine.manualPush(plan.candidate.candidateId);
    return { plan, dryRun, runId: null, outboxId };
  }
  if (plan.bulk.blocked !== null) {
    throw new AppError('validation_failed', `Cannot push: ${plan.bulk.blocked}.`);
  }
  if (plan.bulk.total === 0) return { plan, dryRun, runId: null, outboxId: null };
  const runId = await services.engine.startBulkPush(plan.roleId);
  return { plan, dryRun, runId, outboxId: null };
}

export interface SyncFailure {
  outboxId: number;
  clientName: string;
  roleTitle: string;
  candidateName: string;
  event: LifecycleEvent;
  status: OutboxStatus;
  reason: string | null;
}

export interface SyncReport {
  /** Items sent (or found already in place) during this sync. */
  done: number;
  /** Items that ended failed or needing attention during this sync. */
  failures: SyncFailure[];
  /** Items waiting for a retry later (Ashby unreachable, rate limited). */
  waitingRetry: number;
  /** Items waiting for an admin's review. */
  waitingReview: number;
  /** Items paused because their client is disconnected. */
  paused: number;
  /** Earliest time a waiting retry becomes runnable, or null. */
  nextRetryAt: string | null;
  /** Clients (in scope) that are not connected, except those an admin disconnected, with the reason. */
  unhealthyClients: { clientId: number; name: string; status: string; reason: string | null }[];
}

export interface SyncOptions {
  client?: ClientRef;
  /** Give up waiting after this long, in milliseconds. Default 30 minutes. */
  timeoutMs?: number;
  onProgress?: (progress: TaskProgress) => void;
  /** Called about every second with the items finished so far and the items left. */
  onTick?: (counts: { done: number; failed: number; remaining: number }) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs this process's engine until nothing in the outbox (of one client, or of all) is runnable
 * now: no item pending and due, none running, no link resolution running. Items waiting for a
 * later retry are reported, not waited for. Throws `busy` when another process holds the engine lock.
 * NOTE: the engine serves every client, so `sync NAME` may also send other clients' due items.
 */
export async function sync(services: Services, options: SyncOptions = {}): Promise<SyncReport> {
  const clientId = options.client === undefined ? undefined : requireClientRef(services, options.client).id;
  await services.engine.start();
  if (!services.engine.processing) {
    const holder = services.engineLockHolder();
    throw new AppError(
      'busy',
      `Another Ashby Sync process${holder === undefined ? '' : ` (pid ${holder.pid})`} is sending this data folder's pushes. ` +
        'Wait for it to finish or close the desktop app, then run sync again; commands that only queue work still work.',
    );
  }
  const startedAt = isoNow(services.clock);
  const { db } = services;
  const scope = clientId === undefined ? '' : ' AND client_id = @clientId';
  const params = { clientId: clientId ?? null, now: '', startedAt };
  const busy = db.prepare(
    `SELECT
       (SELECT COUNT(*) FROM outbox WHERE status = 'running'${scope}) +
       (SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)${scope}) +
       (SELECT COUNT(*) FROM runs r JOIN clients c ON c.id = r.client_id
          WHERE r.kind = 'link_resolution' AND r.status = 'running' AND c.status != 'disconnected'${clientId === undefined ? '' : ' AND r.client_id = @clientId'})
       AS remaining`,
  );
  const finished = db.prepare(
    `SELECT COALESCE(SUM(status = 'done'), 0) AS done, COALESCE(SUM(status IN ('failed', 'needs_attention')), 0) AS failed
       FROM outbox WHERE updated_at >= @startedAt${scope}`,
  );

  const listener = (progress: TaskProgress): void => {
    if (clientId === undefined || progress.clientId === clientId) options.onProgress?.(progress);
  };
  services.engine.events.on('task:progress', listener);
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    let lastTick = 0;
    // A short grace period lets the engine claim items queued just before the loop starts.
    await sleep(50);
    for (;;) {
      params.now = isoNow(services.clock);
      const { remaining } = busy.get(params) as { remaining: number };
      if (Date.now() - lastTick >= 1000 || remaining === 0) {
        lastTick = Date.now();
        const counts = finished.get(params) as { done: number; failed: number };
        options.onTick?.({ ...counts, remaining });
      }
      if (remaining === 0) break;
      if (Date.now() > deadline) {
        throw new AppError('busy', `Sync did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s; ${remaining} items are still in progress.`);
      }
      await sleep(100);
    }
  } finally {
    services.engine.events.off('task:progress', listener);
  }
  return syncReport(services, clientId, startedAt);
}

function syncReport(services: Services, clientId: number | undefined, startedAt: string): SyncReport {
  const { db } = services;
  const scope = clientId === undefined ? '' : ' AND o.client_id = @clientId';
  const params = { clientId: clientId ?? null, startedAt };
  const done = (db.prepare(`SELECT COUNT(*) AS count FROM outbox o WHERE o.status = 'done' AND o.updated_at >= @startedAt${scope}`).get(params) as { count: number }).count;
  const failures = db
    .prepare(
      `SELECT o.id AS outboxId, c.name AS clientName, r.title AS roleTitle, p.name AS candidateName, o.event, o.status, o.reason
         FROM outbox o JOIN clients c ON c.id = o.client_id JOIN roles r ON r.id = o.role_id JOIN candidates p ON p.id = o.candidate_id
        WHERE o.status IN ('failed', 'needs_attention') AND o.updated_at >= @startedAt${scope}
        ORDER BY o.id`,
    )
    .all(params) as SyncFailure[];
  const waiting = db
    .prepare(
      `SELECT COALESCE(SUM(o.status = 'pending'), 0) AS waitingRetry, COALESCE(SUM(o.status = 'review'), 0) AS waitingReview,
              COALESCE(SUM(o.status = 'paused'), 0) AS paused,
              MIN(CASE WHEN o.status = 'pending' THEN o.next_attempt_at END) AS nextRetryAt
         FROM outbox o WHERE o.status IN ('pending', 'review', 'paused')${scope}`,
    )
    .get(params) as { waitingRetry: number; waitingReview: number; paused: number; nextRetryAt: string | null };
  const unhealthyClients = db
    .prepare(
      `SELECT id AS clientId, name, status, status_reason AS reason FROM clients
        WHERE status != 'connected' AND disconnected_by_user = 0 AND (@clientId IS NULL OR id = @clientId) ORDER BY name`,
    )
    .all(params) as SyncReport['unhealthyClients'];
  return { done, failures, ...waiting, unhealthyClients };
}
