// The sync engine: schedules outbox items per client, runs them against Ashby, and exposes the
// operations screens and the CLI call (link a role, bulk and manual push, runs, review, reconnect).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { EVENT_FOR_STATE, type ClientStatus, type LifecycleEvent, type PipelineState } from '../../shared/domain.js';
import { checkPermissions, createAshbyClient, isAshbyError, RateLimiterRegistry, type AshbyClient, type PermissionCheck } from '../ashby/index.js';
import { isoNow, type Clock } from '../clock.js';
import { createLogger } from '../log/logger.js';
import { createAshbyPort } from './ashby-adapter.js';
import { recordAudit } from './audit.js';
import { refreshApplications, refreshCandidates } from './ashby-index.js';
import type { AshbyPort, JobPlan } from './ashby-port.js';
import { enqueueLifecycleEvent } from './enqueue.js';
import { createEngineEvents, type EngineEvents, type TaskProgress } from './events.js';
import { classifyFailure, type BackoffPolicy, type FailureAction } from './failures.js';
import { acquireLock, releaseLock } from './lock.js';
import {
  activeItemCount,
  claimItems,
  clientsWithRunnableItems,
  extendLeases,
  finishAttempt,
  queueCounts,
  readProgress,
  recordStep,
  releaseAbandoned,
  saveProgress,
  setItemStatus,
  startAttempt,
} from './outbox-store.js';
import { cachedJobPlan, plannedEffectOf, saveJobPlan, stageMappingFor, type PlannedEffect, type StageMapping } from './plans.js';
import { candidateIdentity, precheck, processItem, type ItemOutcome, type ResumeStore } from './process-item.js';
import { chooseStrategy, findApplication, findCandidate, type Identity, type LookupStrategy } from './resolver.js';
import { enabledEvents, getCandidate, getClient, getOutboxItem, getRole, parseJson, type ClientRow, type OutboxRow, type RoleRow } from './rows.js';
import { createRun, getRun, refreshBulkRun, selectBulkPush, setRunStatus, type BulkPushPlan, type RunRow } from './runs.js';
import type { StageOverrides } from './stages.js';

export interface AshbyConnection {
  baseUrl: string;
  apiKey: string;
}

export interface CreateClientOptions extends AshbyConnection {
  label: string;
  limiter: RateLimiterRegistry;
}

export interface SyncEngineLimits {
  /** Items claimed per client at a time; the index is refreshed once per batch. */
  batchSize: number;
  /** Items of one client in flight at once (items for the same person never run in parallel). */
  perClientConcurrency: number;
  /** Clients served at once; the rest wait their turn, least recently served first. */
  maxActiveClients: number;
  leaseMs: number;
  lockTtlMs: number;
  pollIntervalMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long stop() waits for in-flight writes before it aborts them. */
  stopTimeoutMs: number;
  /** Calls assumed for building the index of a tenant never read, when choosing a lookup strategy. */
  unknownTenantPages: number;
  /** Candidates per transaction in link resolution and bulk enqueue. */
  chunkSize: number;
}

export const DEFAULT_LIMITS: SyncEngineLimits = {
  batchSize: 25,
  perClientConcurrency: 4,
  maxActiveClients: 4,
  leaseMs: 120_000,
  lockTtlMs: 15_000,
  pollIntervalMs: 250,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  stopTimeoutMs: 10_000,
  unknownTenantPages: 10,
  chunkSize: 100,
};

export interface SyncEngineOptions {
  db: Database.Database;
  clock: Clock;
  logger?: Logger;
  credentials: (clientId: number) => Promise<AshbyConnection | null>;
  /** Builds the Ashby client for one key; defaults to createAshbyClient. */
  createClient?: (options: CreateClientOptions) => AshbyClient;
  workerId?: string;
  limits?: Partial<SyncEngineLimits>;
  /** Folder holding resumes as `<sha256>` files (the data folder's `resumes/`). */
  resumeDir?: string;
  resumes?: ResumeStore;
  /** Shared rate-limiter registry; one per process lets a partner-scope 429 slow every client. */
  limiter?: RateLimiterRegistry;
}

export interface ConnectionTest {
  ok: boolean;
  clientId: number;
  keyTitle: string | null;
  /** Set when the key works but lacks permissions the enabled events need. */
  permissions: PermissionCheck | null;
  message: string;
}

export interface SyncEngine {
  readonly events: EngineEvents;
  /** True while this engine holds the data folder's lock and processes the outbox. */
  readonly processing: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  runUntilIdle(options?: { clientId?: number; timeoutMs?: number }): Promise<void>;
  linkRole(roleId: number, ashbyJobId: string): Promise<number>;
  unlinkRole(roleId: number): Promise<void>;
  stageMapping(roleId: number): StageMapping;
  setStageOverride(roleId: number, event: LifecycleEvent, stageId: string | null): StageMapping;
  planBulkPush(roleId: number): BulkPushPlan;
  startBulkPush(roleId: number): Promise<number>;
  manualPush(candidateId: number): number;
  pauseRun(runId: number): void;
  resumeRun(runId: number): void;
  cancelRun(runId: number): void;
  retryFailed(runId: number): number;
  retryItem(outboxId: number): boolean;
  reconnectClient(clientId: number): Promise<ConnectionTest>;
  testConnection(clientId: number): Promise<ConnectionTest>;
  reviewApprove(ids: readonly number[]): number;
  reviewDiscard(ids: readonly number[], reason: string): number;
  plannedEffect(outboxId: number): PlannedEffect;
  getRun(runId: number): RunRow | undefined;
}

const RETRYABLE_STATUSES = new Set(['needs_attention', 'failed', 'cancelled']);
/** Reason codes of items parked because of the role's stage mapping; an override re-queues them. */
const MAPPING_CODES = new Set(['stage_not_found', 'override_stage_missing', 'ashby_interview_stage_not_found', 'plan_unknown']);

/** Candidates resolved between two yields to the event loop during link resolution. */
const YIELD_EVERY = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, clock } = options;
  const logger = options.logger ?? createLogger('sync');
  const limits: SyncEngineLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const workerId = options.workerId ?? `engine-${process.pid}-${randomUUID().slice(0, 8)}`;
  const limiter = options.limiter ?? new RateLimiterRegistry({ clock });
  const makeClient = options.createClient ?? ((clientOptions: CreateClientOptions) => createAshbyClient(clientOptions));
  const backoff: BackoffPolicy = { baseMs: limits.backoffBaseMs, maxMs: limits.backoffMaxMs };
  const events = createEngineEvents();
  const resumes: ResumeStore | undefined =
    options.resumes ??
    (options.resumeDir === undefined
      ? undefined
      : {
          async read(sha256: string) {
            try {
              return new Uint8Array(await readFile(path.join(options.resumeDir as string, sha256)));
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
              throw error;
            }
          },
        });

  const ports = new Map<number, { port: AshbyPort; apiKey: string }>();
  const active = new Map<number, Promise<void>>();
  const lastServed = new Map<number, number>();
  const linkRetryAt = new Map<number, number>();
  const completions = new Map<number, number[]>();
  let abort = new AbortController();
  let started = false;
  let stopping = false;
  let holdsLock = false;
  let loopPromise: Promise<void> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;

  function wake(): void {
    wakeUp?.();
  }

  function audit(entry: Parameters<typeof recordAudit>[2]): void {
    recordAudit(db, clock, entry);
  }

  // ---- Client status -------------------------------------------------------------------------

  function setClientStatus(clientId: number, status: ClientStatus, reason: string | null): void {
    const client = getClient(db, clientId);
    if (client === undefined || (client.status === status && client.status_reason === reason)) return;
    db.prepare('UPDATE clients SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?').run(status, reason, isoNow(clock), clientId);
    logger.info({ clientId, status, reason }, 'client status changed');
    events.emit('client:status', { clientId, status, reason });
  }

  function markReachable(client: ClientRow): void {
    if (client.status === 'offline') setClientStatus(client.id, 'connected', null);
  }

  function disconnect(clientId: number, message: string): void {
    const client = getClient(db, clientId);
    db.transaction(() => {
      db.prepare(
        `UPDATE outbox SET status = 'paused', reason_code = 'client_disconnected', reason = ?, lease_owner = NULL,
           lease_expires_at = NULL, updated_at = ? WHERE client_id = ? AND status IN ('pending', 'running')`,
      ).run(`${client?.name ?? 'client'} is disconnected: ${message}`, isoNow(clock), clientId);
      audit({ clientId, action: 'client_disconnected', outcome: 'failed', message: `disconnected: ${message}` });
    })();
    ports.delete(clientId);
    setClientStatus(clientId, 'disconnected', `key rejected: ${message}`);
    events.emit('notice', { level: 'error', clientId, message: `${client?.name ?? 'Client'} is disconnected: key rejected` });
    emitQueueCounts(clientId);
  }

  async function portFor(client: ClientRow): Promise<AshbyPort | null> {
    const cached = ports.get(client.id);
    if (cached !== undefined) return cached.port;
    const connection = await options.credentials(client.id);
    if (connection === null) return null;
    const ashbyClient = makeClient({ baseUrl: connection.baseUrl, apiKey: connection.apiKey, label: client.name, limiter });
    const port = createAshbyPort(ashbyClient);
    ports.set(client.id, { port, apiKey: connection.apiKey });
    return port;
  }

  // ---- Events ----------------------------------------------------------------------------------

  const countTimers = new Map<number, NodeJS.Timeout>();
  function emitQueueCounts(clientId: number): void {
    if (countTimers.has(clientId)) return;
    // Coalesces bursts: a bulk push finishing hundreds of items emits a few updates, not hundreds.
    const timer = setTimeout(() => {
      countTimers.delete(clientId);
      events.emit('queue:counts', { clientId, counts: queueCounts(db, clientId) });
    }, 100);
    timer.unref();
    countTimers.set(clientId, timer);
  }

  function rateOf(runId: number): number {
    const now = Date.now();
    const times = (completions.get(runId) ?? []).filter((time) => now - time <= 60_000);
    completions.set(runId, times);
    if (times.length < 2) return times.length === 0 ? 0 : 1;
    const spanSeconds = Math.max(1, (now - (times[0] as number)) / 1000);
    return Math.round((times.length / spanSeconds) * 10) / 10;
  }

  function emitRun(run: RunRow | undefined): void {
    if (run === undefined) return;
    const progress: TaskProgress = {
      runId: run.id,
      kind: run.kind,
      clientId: run.client_id,
      roleId: run.role_id,
      status: run.status,
      total: run.total,
      done: run.done,
      failed: run.failed,
      skipped: run.skipped,
      rate: rateOf(run.id),
      message: run.message,
    };
    events.emit('task:progress', progress);
  }

  function noteRunItemFinished(runId: number | null): void {
    if (runId === null) return;
    const times = completions.get(runId) ?? [];
    times.push(Date.now());
    completions.set(runId, times);
    emitRun(refreshBulkRun(db, clock, runId));
  }

  // ---- Item outcomes ---------------------------------------------------------------------------

  function applyOutcome(item: OutboxRow, attemptId: number, outcome: ItemOutcome): void {
    const progress = readProgress(getOutboxItem(db, item.id) ?? item);
    db.transaction(() => {
      const now = isoNow(clock);
      if (outcome.status === 'done') {
        const reasonCode = outcome.outcome === 'unchanged' || outcome.outcome === 'skipped' ? outcome.outcome : null;
        setItemStatus(db, clock, item.id, 'done', reasonCode, outcome.message);
        finishAttempt(db, clock, attemptId, 'done', null, null);
        if (progress.ashbyCandidateId !== undefined) {
          const linked = progress.applicationId !== undefined;
          db.prepare(
            `UPDATE candidates SET ashby_status = ?, ashby_status_reason = NULL, ashby_candidate_id = ?,
               ashby_application_id = COALESCE(?, ashby_application_id), updated_at = ? WHERE id = ?`,
          ).run(linked ? 'linked' : 'not_in_ashby', progress.ashbyCandidateId, progress.applicationId ?? null, now, item.candidate_id);
        }
        db.prepare('UPDATE clients SET last_push_at = ? WHERE id = ?').run(now, item.client_id);
      } else if (outcome.status === 'review') {
        setItemStatus(db, clock, item.id, 'review', outcome.code, outcome.message);
        finishAttempt(db, clock, attemptId, 'review', outcome.code, outcome.message);
      } else {
        setItemStatus(db, clock, item.id, 'needs_attention', outcome.code, outcome.message);
        finishAttempt(db, clock, attemptId, 'needs_attention', outcome.code, outcome.message);
        if (outcome.code === 'resume_failed') {
          db.prepare(
            `UPDATE candidates SET ashby_status = 'linked', ashby_candidate_id = ?, ashby_application_id = ?, updated_at = ? WHERE id = ?`,
          ).run(progress.ashbyCandidateId ?? null, progress.applicationId ?? null, now, item.candidate_id);
        } else {
          db.prepare(`UPDATE candidates SET ashby_status = 'needs_attention', ashby_status_reason = ?, updated_at = ? WHERE id = ?`).run(
            outcome.message,
            now,
            item.candidate_id,
          );
          audit({
            clientId: item.client_id,
            roleId: item.role_id,
            candidateId: item.candidate_id,
            outboxId: item.id,
            event: item.event,
            action: 'failed',
            outcome: 'failed',
            message: `needs attention: ${outcome.message}`,
            details: { code: outcome.code },
          });
        }
        if (MAPPING_CODES.has(outcome.code) || outcome.code === 'job_closed') {
          db.prepare(`UPDATE roles SET link_status = 'needs_attention', link_status_reason = ?, updated_at = ? WHERE id = ?`).run(
            outcome.message,
            now,
            item.role_id,
          );
        }
      }
    })();
    logger.info({ outboxId: item.id, clientId: item.client_id, status: outcome.status, message: outcome.message }, 'outbox item finished');
    noteRunItemFinished(item.run_id);
    emitQueueCounts(item.client_id);
  }

  function applyFailure(item: OutboxRow, attemptId: number, error: unknown): FailureAction {
    const action = classifyFailure(error, item.attempts, backoff);
    const base = { clientId: item.client_id, roleId: item.role_id, candidateId: item.candidate_id, outboxId: item.id, event: item.event };
    const requestId = isAshbyError(error) ? (error.requestId ?? null) : null;
    switch (action.kind) {
      case 'retry': {
        const next = new Date(clock.now() + action.delayMs).toISOString();
        db.transaction(() => {
          setItemStatus(db, clock, item.id, 'pending', action.code, action.message, next);
          if (!action.countsAsAttempt) db.prepare('UPDATE outbox SET attempts = attempts - 1 WHERE id = ?').run(item.id);
          finishAttempt(db, clock, attemptId, 'retry', action.code, action.message);
          audit({ ...base, action: 'retry_scheduled', outcome: 'failed', message: `will retry in ${Math.round(action.delayMs / 100) / 10} s: ${action.message}`, ashbyRequestId: requestId });
        })();
        logger.warn({ outboxId: item.id, clientId: item.client_id, code: action.code, delayMs: action.delayMs, err: error }, 'outbox item will be retried');
        if (action.network) setClientStatus(item.client_id, 'offline', action.message);
        break;
      }
      case 'disconnect':
        finishAttempt(db, clock, attemptId, 'paused', action.code, action.message);
        logger.error({ outboxId: item.id, clientId: item.client_id, err: error }, 'Ashby rejected the key; pausing the client');
        disconnect(item.client_id, action.message);
        break;
      case 'needs_attention':
        applyOutcome(item, attemptId, { status: 'needs_attention', code: action.code, message: action.message });
        if (requestId !== null) audit({ ...base, action: 'ashby_error', outcome: 'failed', message: action.message, ashbyRequestId: requestId });
        logger.warn({ outboxId: item.id, clientId: item.client_id, code: action.code, err: error }, 'outbox item needs attention');
        if (action.code === 'ashby_missing_permission') setClientStatus(item.client_id, 'needs_attention', action.message);
        return action;
      case 'release':
        db.transaction(() => {
          setItemStatus(db, clock, item.id, 'pending', null, null);
          db.prepare('UPDATE outbox SET attempts = attempts - 1 WHERE id = ?').run(item.id);
          finishAttempt(db, clock, attemptId, 'retry', action.code, action.message);
        })();
        break;
    }
    emitQueueCounts(item.client_id);
    return action;
  }

  // ---- Batches ---------------------------------------------------------------------------------

  async function loadPlan(client: ClientRow, port: AshbyPort, jobId: string): Promise<JobPlan> {
    const plan = await port.jobPlan(jobId, abort.signal);
    saveJobPlan(db, clock, client.id, plan);
    return plan;
  }

  function identityOf(item: OutboxRow): Identity | undefined {
    const candidate = getCandidate(db, item.candidate_id);
    if (candidate === undefined) return undefined;
    const identity = candidateIdentity(candidate);
    return identity.ok ? identity.identity : undefined;
  }

  /** Groups items that share a person (same candidate, email key or LinkedIn slug) into one lane. */
  function buildLanes(items: OutboxRow[]): OutboxRow[][] {
    const parent = new Map<string, string>();
    const find = (key: string): string => {
      let root = key;
      while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
      parent.set(key, root);
      return root;
    };
    const union = (a: string, b: string): void => {
      const rootA = find(a);
      const rootB = find(b);
      if (rootA !== rootB) parent.set(rootB, rootA);
    };
    for (const item of items) {
      const own = `item:${item.id}`;
      parent.set(own, parent.get(own) ?? own);
      const identity = identityOf(item);
      const keys = [`candidate:${item.candidate_id}`];
      if (identity?.email !== undefined) keys.push(`email:${identity.email.key}`);
      if (identity?.linkedIn !== undefined) keys.push(`linkedin:${identity.linkedIn.slug}`);
      for (const key of keys) {
        if (!parent.has(key)) parent.set(key, key);
        union(own, key);
      }
    }
    const lanes = new Map<string, OutboxRow[]>();
    for (const item of items) {
      const root = find(`item:${item.id}`);
      const lane = lanes.get(root) ?? [];
      lane.push(item);
      lanes.set(root, lane);
    }
    return [...lanes.values()];
  }

  async function runItem(item: OutboxRow, port: AshbyPort, plans: Map<string, JobPlan>, strategy: LookupStrategy): Promise<void> {
    const client = getClient(db, item.client_id);
    if (client === undefined) return;
    if (client.status === 'disconnected') {
      setItemStatus(db, clock, item.id, 'paused', 'client_disconnected', `${client.name} is disconnected`);
      return;
    }
    if (stopping) {
      setItemStatus(db, clock, item.id, 'pending', null, null);
      db.prepare('UPDATE outbox SET attempts = attempts - 1 WHERE id = ?').run(item.id);
      return;
    }
    const attemptId = startAttempt(db, clock, item.id);
    const role = getRole(db, item.role_id) as RoleRow;
    const candidate = getCandidate(db, item.candidate_id);
    if (candidate === undefined) {
      applyOutcome(item, attemptId, { status: 'needs_attention', code: 'candidate_missing', message: `candidate ${item.candidate_id} no longer exists` });
      return;
    }
    const plan = role.ashby_job_id === null ? undefined : plans.get(role.ashby_job_id);
    try {
      let outcome: ItemOutcome;
      if (plan === undefined) {
        const checked = precheck(item.event, client, role, candidate, undefined);
        outcome = checked.ok ? { status: 'needs_attention', code: 'plan_unknown', message: 'the interview plan is unknown' } : checked.outcome;
      } else {
        outcome = await processItem({
          db,
          clock,
          logger,
          port,
          client,
          role,
          candidate,
          item,
          progress: readProgress(getOutboxItem(db, item.id) ?? item),
          plan,
          strategy,
          resumes,
          signal: abort.signal,
        });
      }
      applyOutcome(item, attemptId, outcome);
      markReachable(client);
    } catch (error) {
      applyFailure(item, attemptId, error);
    }
  }

  async function serveBatch(client: ClientRow, port: AshbyPort, items: OutboxRow[]): Promise<void> {
    const plans = new Map<string, JobPlan>();
    let strategy: LookupStrategy = 'index';
    try {
      const jobIds = new Set<string>();
      for (const item of items) {
        const role = getRole(db, item.role_id);
        if (role?.ashby_job_id) jobIds.add(role.ashby_job_id);
      }
      for (const jobId of jobIds) plans.set(jobId, await loadPlan(client, port, jobId));

      const identities = items.map(identityOf).filter((identity): identity is Identity => identity !== undefined);
      const choice = chooseStrategy(db, client.id, identities, limits.unknownTenantPages);
      strategy = choice.strategy;
      logger.debug({ clientId: client.id, items: items.length, strategy, reason: choice.reason }, 'lookup strategy chosen');
      if (strategy === 'index') {
        await refreshCandidates(db, clock, client.id, port, abort.signal);
        for (const jobId of jobIds) await refreshApplications(db, clock, client.id, jobId, port, abort.signal);
      }
      markReachable(client);
    } catch (error) {
      // The batch could not start: every item takes the same failure (and one attempt).
      let disconnected = false;
      for (const item of items) {
        if (disconnected) {
          setItemStatus(db, clock, item.id, 'paused', 'client_disconnected', `${client.name} is disconnected`);
          continue;
        }
        const attemptId = startAttempt(db, clock, item.id);
        const action = applyFailure(item, attemptId, error);
        if (action.kind === 'disconnect') disconnected = true;
      }
      return;
    }

    const lanes = buildLanes(items);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < lanes.length) {
        const lane = lanes[next] as OutboxRow[];
        next += 1;
        for (const item of lane) {
          await runItem(item, port, plans, strategy);
          await yieldToEventLoop();
        }
      }
    };
    const workers = Array.from({ length: Math.min(limits.perClientConcurrency, lanes.length) }, () => worker());
    await Promise.all(workers);
  }

  async function serveClient(clientId: number): Promise<void> {
    const client = getClient(db, clientId);
    if (client === undefined || client.status === 'disconnected') return;
    const port = await portFor(client);
    if (port === null) {
      disconnect(clientId, `no API key is stored for ${client.name}; connect it again`);
      return;
    }
    await serveLinkRuns(client, port);
    if (stopping) return;
    const items = claimItems(db, clock, clientId, workerId, limits.leaseMs, limits.batchSize);
    if (items.length === 0) return;
    await serveBatch(client, port, items);
  }

  // ---- Link resolution -------------------------------------------------------------------------

  function runningLinkRuns(clientId?: number): RunRow[] {
    const rows = (
      clientId === undefined
        ? db.prepare("SELECT * FROM runs WHERE kind = 'link_resolution' AND status = 'running' ORDER BY id").all()
        : db.prepare("SELECT * FROM runs WHERE kind = 'link_resolution' AND status = 'running' AND client_id = ? ORDER BY id").all(clientId)
    ) as RunRow[];
    return rows;
  }

  async function serveLinkRuns(client: ClientRow, port: AshbyPort): Promise<void> {
    for (const run of runningLinkRuns(client.id)) {
      if (stopping) return;
      const retryAt = linkRetryAt.get(run.id);
      if (retryAt !== undefined && retryAt > Date.now()) continue;
      try {
        await resolveLinks(run, client, port);
        linkRetryAt.delete(run.id);
      } catch (error) {
        const action = classifyFailure(error, 1, backoff);
        logger.warn({ runId: run.id, clientId: client.id, err: error }, 'link resolution failed');
        if (action.kind === 'disconnect') {
          disconnect(client.id, action.message);
          return;
        }
        if (action.kind === 'retry' || action.kind === 'release') {
          linkRetryAt.set(run.id, Date.now() + (action.kind === 'retry' ? action.delayMs : 0));
          if (action.kind === 'retry' && action.network) setClientStatus(client.id, 'offline', action.message);
          continue;
        }
        setRunStatus(db, clock, run.id, 'failed', action.message);
        if (run.role_id !== null) {
          db.prepare(`UPDATE roles SET link_status = 'needs_attention', link_status_reason = ?, updated_at = ? WHERE id = ?`).run(
            action.message,
            isoNow(clock),
            run.role_id,
          );
        }
        audit({ clientId: client.id, roleId: run.role_id, action: 'link_resolution', outcome: 'failed', message: action.message });
        emitRun(getRun(db, run.id));
      }
    }
  }

  async function resolveLinks(run: RunRow, client: ClientRow, port: AshbyPort): Promise<void> {
    const role = run.role_id === null ? undefined : getRole(db, run.role_id);
    if (role === undefined || role.ashby_job_id === null) {
      setRunStatus(db, clock, run.id, 'failed', 'the role is no longer linked');
      return;
    }
    const jobId = role.ashby_job_id;
    const plan = await loadPlan(client, port, jobId);
    db.prepare('UPDATE roles SET ashby_job_title = ?, ashby_interview_plan_id = ?, updated_at = ? WHERE id = ?').run(
      plan.title,
      plan.interviewPlanId,
      isoNow(clock),
      role.id,
    );

    const candidates = db.prepare('SELECT * FROM candidates WHERE role_id = ? ORDER BY id').all(role.id) as NonNullable<ReturnType<typeof getCandidate>>[];
    const identities = candidates.map((candidate) => candidateIdentity(candidate));
    const valid = identities.flatMap((identity) => (identity.ok ? [identity.identity] : []));
    const { strategy } = chooseStrategy(db, client.id, valid, limits.unknownTenantPages);
    if (strategy === 'index') {
      await refreshCandidates(db, clock, client.id, port, abort.signal);
      await refreshApplications(db, clock, client.id, jobId, port, abort.signal);
    }
    db.prepare('UPDATE runs SET total = ?, updated_at = ? WHERE id = ?').run(candidates.length, isoNow(clock), run.id);
    const resolver = { db, clock, clientId: client.id, port, strategy, signal: abort.signal };

    let done = 0;
    let linked = 0;
    for (let index = 0; index < candidates.length; index += 1) {
      const current = getRun(db, run.id);
      if (current === undefined || current.status !== 'running' || stopping) return;
      const candidate = candidates[index] as (typeof candidates)[number];
      const identity = identities[index] as (typeof identities)[number];
      const now = isoNow(clock);
      if (!identity.ok) {
        db.prepare(`UPDATE candidates SET ashby_status = 'not_in_ashby', ashby_status_reason = ?, updated_at = ? WHERE id = ?`).run(identity.reason, now, candidate.id);
      } else {
        const found = await findCandidate(resolver, identity.identity, false);
        const application = found === undefined ? undefined : await findApplication(resolver, found.id, jobId, false);
        const status = application === undefined ? 'not_in_ashby' : 'linked';
        if (application !== undefined) linked += 1;
        db.prepare(
          `UPDATE candidates SET ashby_status = ?, ashby_status_reason = NULL, ashby_candidate_id = ?, ashby_application_id = ?, updated_at = ? WHERE id = ?`,
        ).run(status, found?.id ?? null, application?.id ?? null, now, candidate.id);
        if (found !== undefined) {
          audit({
            clientId: client.id,
            roleId: role.id,
            candidateId: candidate.id,
            action: 'linked',
            outcome: 'ok',
            message: application === undefined
              ? `found Ashby candidate ${found.id} by ${found.via}; no application on job "${plan.title}" yet`
              : `linked to Ashby candidate ${found.id} by ${found.via}, application ${application.id} at ${application.stage.title || application.stage.id}`,
            ashbyCandidateId: found.id,
            ashbyApplicationId: application?.id ?? null,
          });
        }
      }
      done += 1;
      if (done % limits.chunkSize === 0 || done === candidates.length) {
        db.prepare('UPDATE runs SET done = ?, updated_at = ? WHERE id = ?').run(done, isoNow(clock), run.id);
        emitRun(getRun(db, run.id));
      }
      // Index lookups resolve without I/O, so yield explicitly to keep the event loop responsive.
      if (done % YIELD_EVERY === 0) await yieldToEventLoop();
    }

    const mapping = stageMappingFor(db, role.id);
    const gaps = mapping.events.filter((event) => event.enabled && event.stage === null);
    const reason = gaps.length === 0 ? null : gaps.map((gap) => `${gap.event}: ${gap.problem ?? 'no stage'}`).join('; ');
    db.transaction(() => {
      db.prepare('UPDATE roles SET link_status = ?, link_status_reason = ?, updated_at = ? WHERE id = ?').run(
        reason === null ? 'linked' : 'needs_attention',
        reason,
        isoNow(clock),
        role.id,
      );
      db.prepare('UPDATE runs SET done = ?, total = ?, updated_at = ? WHERE id = ?').run(done, candidates.length, isoNow(clock), run.id);
      setRunStatus(db, clock, run.id, 'completed', `${linked} of ${candidates.length} candidates already in Ashby`);
      audit({
        clientId: client.id,
        roleId: role.id,
        action: 'link_resolution',
        outcome: 'ok',
        message: `linked role "${role.title}" to job "${plan.title}": ${linked} of ${candidates.length} candidates already in Ashby`,
      });
    })();
    emitRun(getRun(db, run.id));
  }

  // ---- Scheduler -------------------------------------------------------------------------------

  function schedule(): void {
    const due = new Set<number>(clientsWithRunnableItems(db, clock));
    for (const run of runningLinkRuns()) due.add(run.client_id);
    const ordered = [...due].sort((a, b) => (lastServed.get(a) ?? 0) - (lastServed.get(b) ?? 0));
    for (const clientId of ordered) {
      if (active.size >= limits.maxActiveClients) break;
      if (active.has(clientId)) continue;
      const task = serveClient(clientId)
        .catch((error: unknown) => {
          logger.error({ clientId, err: error }, 'serving a client failed');
          events.emit('notice', { level: 'error', clientId, message: `sync failed: ${error instanceof Error ? error.message : String(error)}` });
        })
        .finally(() => {
          active.delete(clientId);
          lastServed.set(clientId, Date.now());
          wake();
        });
      active.set(clientId, task);
    }
  }

  function onLockAcquired(): void {
    const released = releaseAbandoned(db, clock);
    if (released > 0) logger.info({ released }, 'resuming outbox items left running by a previous engine');
    events.emit('notice', { level: 'info', message: 'sync engine started' });
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      if (!holdsLock) {
        holdsLock = acquireLock(db, clock, workerId, limits.lockTtlMs);
        if (holdsLock) onLockAcquired();
      }
      if (holdsLock) {
        try {
          schedule();
        } catch (error) {
          logger.error({ err: error }, 'scheduling failed');
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, holdsLock ? limits.pollIntervalMs : limits.lockTtlMs / 3);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  async function start(): Promise<void> {
    if (started) return;
    started = true;
    stopping = false;
    abort = new AbortController();
    holdsLock = acquireLock(db, clock, workerId, limits.lockTtlMs);
    if (holdsLock) onLockAcquired();
    else events.emit('notice', { level: 'warn', message: 'another engine is processing this data folder; this one only queues' });
    heartbeat = setInterval(() => {
      if (!holdsLock) return;
      holdsLock = acquireLock(db, clock, workerId, limits.lockTtlMs);
      if (holdsLock) extendLeases(db, clock, workerId, limits.leaseMs);
      else logger.error({ workerId }, 'lost the engine lock to another process');
    }, Math.max(50, Math.floor(limits.lockTtlMs / 3)));
    heartbeat.unref();
    loopPromise = loop();
  }

  async function stop(): Promise<void> {
    if (!started) return;
    stopping = true;
    wake();
    const inFlight = Promise.all(active.values());
    const finished = await Promise.race([inFlight.then(() => true), sleep(limits.stopTimeoutMs).then(() => false)]);
    if (!finished) {
      logger.warn({ clients: [...active.keys()] }, 'stopping: aborting Ashby calls still in flight');
      abort.abort();
      await Promise.race([inFlight, sleep(2_000)]);
    }
    await loopPromise;
    if (heartbeat !== undefined) clearInterval(heartbeat);
    for (const [clientId, timer] of countTimers) {
      clearTimeout(timer);
      events.emit('queue:counts', { clientId, counts: queueCounts(db, clientId) });
    }
    countTimers.clear();
    if (holdsLock) releaseLock(db, workerId);
    holdsLock = false;
    started = false;
  }

  async function runUntilIdle(idleOptions: { clientId?: number; timeoutMs?: number } = {}): Promise<void> {
    await start();
    const deadline = Date.now() + (idleOptions.timeoutMs ?? 30_000);
    for (;;) {
      const busyClient = idleOptions.clientId === undefined ? active.size > 0 : active.has(idleOptions.clientId);
      const pending = activeItemCount(db, idleOptions.clientId);
      const links = runningLinkRuns(idleOptions.clientId).filter((run) => getClient(db, run.client_id)?.status !== 'disconnected');
      if (!busyClient && pending === 0 && links.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `the engine did not become idle within ${idleOptions.timeoutMs ?? 30_000} ms (${pending} items pending or running, ${links.length} link resolutions running)`,
        );
      }
      wake();
      await sleep(20);
    }
  }

  // ---- Operations ------------------------------------------------------------------------------

  async function linkRole(roleId: number, ashbyJobId: string): Promise<number> {
    const role = getRole(db, roleId);
    if (role === undefined) throw new Error(`role ${roleId} was not found`);
    const runId = db.transaction(() => {
      db.prepare(
        `UPDATE roles SET ashby_job_id = ?, link_status = 'resolving', link_status_reason = NULL, updated_at = ? WHERE id = ?`,
      ).run(ashbyJobId, isoNow(clock), roleId);
      db.prepare(
        `UPDATE runs SET status = 'cancelled', message = 'replaced by a new link', finished_at = ?, updated_at = ?
         WHERE role_id = ? AND kind = 'link_resolution' AND status IN ('running', 'paused')`,
      ).run(isoNow(clock), isoNow(clock), roleId);
      const id = createRun(db, clock, role.client_id, roleId, 'link_resolution', 0);
      audit({ clientId: role.client_id, roleId, action: 'role_linked', outcome: 'ok', actor: 'admin', message: `linked role "${role.title}" to Ashby job ${ashbyJobId}` });
      return id;
    })();
    emitRun(getRun(db, runId));
    wake();
    return runId;
  }

  async function unlinkRole(roleId: number): Promise<void> {
    const role = getRole(db, roleId);
    if (role === undefined) throw new Error(`role ${roleId} was not found`);
    db.transaction(() => {
      db.prepare(
        `UPDATE roles SET ashby_job_id = NULL, ashby_job_title = NULL, ashby_interview_plan_id = NULL, link_status = 'unlinked',
           link_status_reason = NULL, updated_at = ? WHERE id = ?`,
      ).run(isoNow(clock), roleId);
      db.prepare(
        `UPDATE runs SET status = 'cancelled', message = 'role unlinked', finished_at = ?, updated_at = ?
         WHERE role_id = ? AND kind = 'link_resolution' AND status IN ('running', 'paused')`,
      ).run(isoNow(clock), isoNow(clock), roleId);
      // Queued pushes have no job to go to any more; they are kept, cancelled, with the reason.
      const cancelled = db
        .prepare(
          `UPDATE outbox SET status = 'cancelled', reason_code = 'role_unlinked', reason = ?, lease_owner = NULL,
             lease_expires_at = NULL, updated_at = ?
           WHERE role_id = ? AND status IN ('pending', 'paused', 'review', 'needs_attention')`,
        )
        .run(`role "${role.title}" was unlinked from its Ashby job`, isoNow(clock), roleId).changes;
      audit({
        clientId: role.client_id,
        roleId,
        action: 'role_unlinked',
        outcome: 'ok',
        actor: 'admin',
        message: `unlinked role "${role.title}" from Ashby job ${role.ashby_job_id ?? ''}; ${cancelled} queued pushes cancelled`,
      });
    })();
  }

  function setStageOverride(roleId: number, event: LifecycleEvent, stageId: string | null): StageMapping {
    const role = getRole(db, roleId);
    if (role === undefined) throw new Error(`role ${roleId} was not found`);
    const overrides = parseJson<StageOverrides>(role.stage_overrides, {});
    if (stageId === null) delete overrides[event];
    else overrides[event] = stageId;
    db.transaction(() => {
      db.prepare('UPDATE roles SET stage_overrides = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(overrides), isoNow(clock), roleId);
      audit({
        clientId: role.client_id,
        roleId,
        event,
        action: 'stage_override',
        outcome: 'ok',
        actor: 'admin',
        message: stageId === null ? `cleared the stage chosen for ${event}` : `chose stage ${stageId} for ${event}`,
      });
    })();
    const mapping = stageMappingFor(db, roleId);
    if (mapping.complete && role.link_status === 'needs_attention') {
      db.prepare(`UPDATE roles SET link_status = 'linked', link_status_reason = NULL, updated_at = ? WHERE id = ?`).run(isoNow(clock), roleId);
    }
    // Items parked because of the mapping go back to the queue now that an admin chose a stage.
    const requeued = db
      .prepare(
        `UPDATE outbox SET status = 'pending', reason_code = NULL, reason = NULL, next_attempt_at = NULL, updated_at = ?
         WHERE role_id = ? AND event = ? AND status = 'needs_attention' AND reason_code IN (${[...MAPPING_CODES].map(() => '?').join(', ')})`,
      )
      .run(isoNow(clock), roleId, event, ...MAPPING_CODES).changes;
    if (requeued > 0) wake();
    return mapping;
  }

  async function startBulkPush(roleId: number): Promise<number> {
    const { plan, candidateIds } = selectBulkPush(db, roleId);
    if (plan.blocked !== null) throw new Error(`cannot push: ${plan.blocked}`);
    const runId = db.transaction(() => {
      const id = createRun(db, clock, plan.clientId, roleId, 'bulk_push', plan.total);
      audit({
        clientId: plan.clientId,
        roleId,
        action: 'bulk_push_started',
        outcome: 'ok',
        actor: 'admin',
        message: `bulk push of ${plan.total} candidates started`,
        details: { byEvent: plan.byEvent, excluded: plan.excluded },
      });
      return id;
    })();
    for (let index = 0; index < candidateIds.length; index += limits.chunkSize) {
      const chunk = candidateIds.slice(index, index + limits.chunkSize);
      db.transaction(() => {
        for (const entry of chunk) {
          enqueueLifecycleEvent(db, clock, { clientId: plan.clientId, roleId, candidateId: entry.id, event: entry.event, origin: 'bulk_push', runId });
        }
      })();
      await yieldToEventLoop();
    }
    emitRun(refreshBulkRun(db, clock, runId));
    emitQueueCounts(plan.clientId);
    wake();
    return runId;
  }

  function manualPush(candidateId: number): number {
    const candidate = getCandidate(db, candidateId);
    if (candidate === undefined) throw new Error(`candidate ${candidateId} was not found`);
    const event = EVENT_FOR_STATE[candidate.state as PipelineState];
    const id = db.transaction(() => {
      const outboxId = enqueueLifecycleEvent(db, clock, {
        clientId: candidate.client_id,
        roleId: candidate.role_id,
        candidateId,
        event,
        origin: 'manual_push',
      });
      audit({
        clientId: candidate.client_id,
        roleId: candidate.role_id,
        candidateId,
        outboxId,
        event,
        action: 'manual_push',
        outcome: 'ok',
        actor: 'admin',
        message: `manual push of ${candidate.name} (${candidate.state})`,
      });
      return outboxId;
    })();
    emitQueueCounts(candidate.client_id);
    wake();
    return id;
  }

  function requireRun(runId: number): RunRow {
    const run = getRun(db, runId);
    if (run === undefined) throw new Error(`run ${runId} was not found`);
    return run;
  }

  function pauseRun(runId: number): void {
    const run = requireRun(runId);
    if (run.status !== 'running') return;
    db.transaction(() => {
      setRunStatus(db, clock, runId, 'paused', 'paused');
      db.prepare(
        `UPDATE outbox SET status = 'paused', reason_code = 'run_paused', reason = 'the bulk push is paused', updated_at = ?
         WHERE run_id = ? AND status = 'pending'`,
      ).run(isoNow(clock), runId);
      audit({ clientId: run.client_id, roleId: run.role_id, action: 'run_paused', outcome: 'ok', actor: 'admin', message: `paused run ${runId}` });
    })();
    emitRun(getRun(db, runId));
    emitQueueCounts(run.client_id);
  }

  function resumeRun(runId: number): void {
    const run = requireRun(runId);
    if (run.status !== 'paused') return;
    db.transaction(() => {
      setRunStatus(db, clock, runId, 'running', null);
      db.prepare(
        `UPDATE outbox SET status = 'pending', reason_code = NULL, reason = NULL, updated_at = ?
         WHERE run_id = ? AND status = 'paused' AND reason_code = 'run_paused'`,
      ).run(isoNow(clock), runId);
      audit({ clientId: run.client_id, roleId: run.role_id, action: 'run_resumed', outcome: 'ok', actor: 'admin', message: `resumed run ${runId}` });
    })();
    emitRun(refreshBulkRun(db, clock, runId));
    emitQueueCounts(run.client_id);
    wake();
  }

  function cancelRun(runId: number): void {
    const run = requireRun(runId);
    if (run.status !== 'running' && run.status !== 'paused') return;
    db.transaction(() => {
      const cancelled = db
        .prepare(
          `UPDATE outbox SET status = 'cancelled', reason_code = 'run_cancelled', reason = 'the run was cancelled', updated_at = ?
           WHERE run_id = ? AND status IN ('pending', 'paused', 'review')`,
        )
        .run(isoNow(clock), runId).changes;
      setRunStatus(db, clock, runId, 'cancelled', `cancelled; ${cancelled} items not sent`);
      audit({ clientId: run.client_id, roleId: run.role_id, action: 'run_cancelled', outcome: 'ok', actor: 'admin', message: `cancelled run ${runId}; ${cancelled} items not sent` });
    })();
    emitRun(run.kind === 'bulk_push' ? refreshBulkRun(db, clock, runId) : getRun(db, runId));
    emitQueueCounts(run.client_id);
  }

  function retryFailed(runId: number): number {
    const run = requireRun(runId);
    const retried = db.transaction(() => {
      const count = db
        .prepare(
          `UPDATE outbox SET status = 'pending', reason_code = NULL, reason = NULL, next_attempt_at = NULL, attempts = 0, updated_at = ?
           WHERE run_id = ? AND status IN ('needs_attention', 'failed')`,
        )
        .run(isoNow(clock), runId).changes;
      if (count > 0) {
        db.prepare(`UPDATE runs SET status = 'running', finished_at = NULL, message = ?, updated_at = ? WHERE id = ?`).run(
          `retrying ${count} failed items`,
          isoNow(clock),
          runId,
        );
        audit({ clientId: run.client_id, roleId: run.role_id, action: 'retried', outcome: 'ok', actor: 'admin', message: `retrying ${count} failed items of run ${runId}` });
      }
      return count;
    })();
    emitRun(refreshBulkRun(db, clock, runId));
    wake();
    return retried;
  }

  function retryItem(outboxId: number): boolean {
    const item = getOutboxItem(db, outboxId);
    if (item === undefined || !RETRYABLE_STATUSES.has(item.status)) return false;
    db.transaction(() => {
      setItemStatus(db, clock, outboxId, 'pending', null, null);
      audit({
        clientId: item.client_id,
        roleId: item.role_id,
        candidateId: item.candidate_id,
        outboxId,
        event: item.event,
        action: 'retried',
        outcome: 'ok',
        actor: 'admin',
        message: `retry requested (was ${item.status}${item.reason ? `: ${item.reason}` : ''})`,
      });
      if (item.run_id !== null) {
        db.prepare(`UPDATE runs SET status = 'running', finished_at = NULL, updated_at = ? WHERE id = ? AND status IN ('completed', 'completed_with_failures')`).run(
          isoNow(clock),
          item.run_id,
        );
      }
    })();
    emitQueueCounts(item.client_id);
    wake();
    return true;
  }

  async function testConnection(clientId: number): Promise<ConnectionTest> {
    const client = getClient(db, clientId);
    if (client === undefined) throw new Error(`client ${clientId} was not found`);
    ports.delete(clientId);
    const port = await portFor(client);
    if (port === null) {
      return { ok: false, clientId, keyTitle: null, permissions: null, message: `no API key is stored for ${client.name}` };
    }
    try {
      const info = await port.apiKeyInfo();
      const permissions = checkPermissions(info.scopes, enabledEvents(client));
      db.prepare('UPDATE clients SET key_title = ?, key_scopes = ?, updated_at = ? WHERE id = ?').run(info.title, JSON.stringify(info.scopes), isoNow(clock), clientId);
      const missing = permissions.events.filter((event) => event.missing.length > 0);
      const message = permissions.ok
        ? `connected to ${client.name} with key "${info.title}"`
        : [
            ...missing.map((event) => `${event.event} needs missing permission ${event.missing.join(', ')}`),
            ...(permissions.healthCheck.missing.length > 0 ? [`the health check needs missing permission ${permissions.healthCheck.missing.join(', ')}`] : []),
          ].join('; ');
      return { ok: permissions.ok, clientId, keyTitle: info.title, permissions, message };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, clientId, keyTitle: null, permissions: null, message };
    }
  }

  async function reconnectClient(clientId: number): Promise<ConnectionTest> {
    const result = await testConnection(clientId);
    const keyAccepted = result.keyTitle !== null;
    if (!keyAccepted) {
      setClientStatus(clientId, 'disconnected', result.message);
      return result;
    }
    const resumed = db.transaction(() => {
      const count = db
        .prepare(
          `UPDATE outbox SET status = 'pending', reason_code = NULL, reason = NULL, next_attempt_at = NULL, updated_at = ?
           WHERE client_id = ? AND status = 'paused' AND reason_code = 'client_disconnected'`,
        )
        .run(isoNow(clock), clientId).changes;
      db.prepare('UPDATE clients SET disconnected_by_user = 0 WHERE id = ?').run(clientId);
      audit({ clientId, action: 'client_reconnected', outcome: 'ok', actor: 'admin', message: `reconnected; ${count} paused items resumed` });
      return count;
    })();
    setClientStatus(clientId, result.ok ? 'connected' : 'needs_attention', result.ok ? null : result.message);
    logger.info({ clientId, resumed }, 'client reconnected');
    emitQueueCounts(clientId);
    wake();
    return result;
  }

  function reviewApprove(ids: readonly number[]): number {
    let approvedCount = 0;
    db.transaction(() => {
      for (const id of ids) {
        const item = getOutboxItem(db, id);
        if (item === undefined || item.status !== 'review') continue;
        const progress = readProgress(item);
        progress.approved = [...new Set([...(progress.approved ?? []), item.reason_code ?? 'review'])];
        saveProgress(db, clock, id, progress);
        setItemStatus(db, clock, id, 'pending', null, null);
        recordStep(db, clock, id, 'review_approved', 'ok', item.reason_code);
        audit({
          clientId: item.client_id,
          roleId: item.role_id,
          candidateId: item.candidate_id,
          outboxId: id,
          event: item.event,
          action: 'review_approved',
          outcome: 'ok',
          actor: 'admin',
          message: `approved (${item.reason_code ?? 'review'})`,
        });
        approvedCount += 1;
        emitQueueCounts(item.client_id);
      }
    })();
    wake();
    return approvedCount;
  }

  function reviewDiscard(ids: readonly number[], reason: string): number {
    let discarded = 0;
    db.transaction(() => {
      for (const id of ids) {
        const item = getOutboxItem(db, id);
        if (item === undefined || !['review', 'pending', 'paused', 'needs_attention', 'failed'].includes(item.status)) continue;
        setItemStatus(db, clock, id, 'discarded', 'discarded', reason);
        audit({
          clientId: item.client_id,
          roleId: item.role_id,
          candidateId: item.candidate_id,
          outboxId: id,
          event: item.event,
          action: 'review_discarded',
          outcome: 'skipped',
          actor: 'admin',
          message: `discarded: ${reason}`,
          details: { previousStatus: item.status, previousReason: item.reason },
        });
        discarded += 1;
        emitQueueCounts(item.client_id);
        if (item.run_id !== null) emitRun(refreshBulkRun(db, clock, item.run_id));
      }
    })();
    return discarded;
  }

  return {
    events,
    get processing() {
      return holdsLock;
    },
    start,
    stop,
    runUntilIdle,
    linkRole,
    unlinkRole,
    stageMapping: (roleId) => stageMappingFor(db, roleId),
    setStageOverride,
    planBulkPush: (roleId) => selectBulkPush(db, roleId).plan,
    startBulkPush,
    manualPush,
    pauseRun,
    resumeRun,
    cancelRun,
    retryFailed,
    retryItem,
    reconnectClient,
    testConnection,
    reviewApprove,
    reviewDiscard,
    plannedEffect: (outboxId) => plannedEffectOf(db, outboxId),
    getRun: (runId) => getRun(db, runId),
  };
}

/** Cached plan lookup for callers outside the engine (screens show the stage list offline). */
export { cachedJobPlan };
