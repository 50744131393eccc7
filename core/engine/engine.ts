// The sync engine: schedules outbox items per client, runs them against Ashby, and exposes the
// operations screens and the CLI call (link a role, bulk and manual push, runs, review, reconnect).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ClientStatus, LifecycleEvent } from '../../shared/domain.js';
import { createAshbyClient, RateLimiterRegistry, type AshbyClient } from '../ashby/index.js';
import { isoNow, type Clock } from '../clock.js';
import { createLogger } from '../log/logger.js';
import { createAshbyPort } from './ashby-adapter.js';
import { recordAudit } from './audit.js';
import { buildLanes } from './lanes.js';
import { createOutcomeHandlers } from './outcomes.js';
import { createConnectionChecks, type ConnectionTest } from './connection.js';
import { resolveLinks, type LinkResolutionDeps } from './link-resolution.js';
import { createOperations } from './operations.js';
import { refreshApplications, refreshCandidates } from './ashby-index.js';
import type { AshbyPort, JobPlan } from './ashby-port.js';
import { createEngineEvents, type EngineEvents, type TaskProgress } from './events.js';
import { classifyFailure, type BackoffPolicy } from './failures.js';
import { acquireLock, releaseLock } from './lock.js';
import {
  activeItemCount,
  claimItems,
  clientsWithRunnableItems,
  extendLeases,
  queueCounts,
  readProgress,
  releaseAbandoned,
  setItemStatus,
  startAttempt,
} from './outbox-store.js';
import {
  cachedJobPlan,
  plannedEffectOf,
  saveJobPlan,
  stageMappingFor,
  type PlannedEffect,
  type StageMapping,
} from './plans.js';
import {
  candidateIdentity,
  precheck,
  processItem,
  type ItemOutcome,
  type ResumeStore,
} from './process-item.js';
import { chooseStrategy, type Identity, type LookupStrategy } from './resolver.js';
import {
  getCandidate,
  getClient,
  getOutboxItem,
  getRole,
  type ClientRow,
  type OutboxRow,
  type RoleRow,
} from './rows.js';
import {
  getRun,
  refreshBulkRun,
  selectBulkPush,
  setRunStatus,
  type BulkPushPlan,
  type RunRow,
} from './runs.js';

export type { ConnectionTest };

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, clock } = options;
  const logger = options.logger ?? createLogger('sync');
  const limits: SyncEngineLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const workerId = options.workerId ?? `engine-${process.pid}-${randomUUID().slice(0, 8)}`;
  const limiter = options.limiter ?? new RateLimiterRegistry({ clock });
  const ashbyLogger = createLogger('ashby');
  const makeClient =
    options.createClient ??
    ((clientOptions: CreateClientOptions) =>
      createAshbyClient({ ...clientOptions, clock, logger: ashbyLogger }));
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
    if (client === undefined || (client.status === status && client.status_reason === reason))
      return;
    db.prepare('UPDATE clients SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?').run(
      status,
      reason,
      isoNow(clock),
      clientId,
    );
    logger.info({ clientId, status, reason }, 'client status changed');
    events.emit('client:status', { clientId, status, reason });
  }

  function markReachable(client: ClientRow): void {
    const current = getClient(db, client.id);
    if (current?.status !== 'offline') return;
    // Ashby answers again: items waiting out their network backoff may run now.
    db.prepare(
      `UPDATE outbox SET next_attempt_at = NULL, updated_at = ? WHERE client_id = ? AND status = 'pending'`,
    ).run(isoNow(clock), client.id);
    setClientStatus(client.id, 'connected', null);
    wake();
  }

  function disconnect(clientId: number, message: string): void {
    const client = getClient(db, clientId);
    db.transaction(() => {
      db.prepare(
        `UPDATE outbox SET status = 'paused', reason_code = 'client_disconnected', reason = ?, lease_owner = NULL,
           lease_expires_at = NULL, updated_at = ? WHERE client_id = ? AND status IN ('pending', 'running')`,
      ).run(`${client?.name ?? 'client'} is disconnected: ${message}`, isoNow(clock), clientId);
      audit({
        clientId,
        action: 'client_disconnected',
        outcome: 'failed',
        message: `disconnected: ${message}`,
      });
    })();
    ports.delete(clientId);
    setClientStatus(clientId, 'disconnected', `key rejected: ${message}`);
    events.emit('notice', {
      level: 'error',
      clientId,
      message: `${client?.name ?? 'Client'} is disconnected: key rejected`,
    });
    emitQueueCounts(clientId);
  }

  async function portFor(client: ClientRow): Promise<AshbyPort | null> {
    const cached = ports.get(client.id);
    if (cached !== undefined) return cached.port;
    const connection = await options.credentials(client.id);
    if (connection === null) return null;
    const ashbyClient = makeClient({
      baseUrl: connection.baseUrl,
      apiKey: connection.apiKey,
      label: client.name,
      limiter,
    });
    const port = createAshbyPort(ashbyClient);
    ports.set(client.id, { port, apiKey: connection.apiKey });
    return port;
  }

  // ---- Events ----------------------------------------------------------------------------------

  const countTimers = new Map<number, NodeJS.Timeout>();
  function emitQueueCounts(clientId: number): void {
    if (!started) {
      // A stopped engine has no timer to coalesce with, and a later timer could outlive the
      // database, so the counts go out at once.
      events.emit('queue:counts', { clientId, counts: queueCounts(db, clientId) });
      return;
    }
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

  const { applyOutcome, applyFailure } = createOutcomeHandlers({
    db,
    clock,
    logger,
    backoff,
    audit,
    setClientStatus,
    disconnect,
    noteRunItemFinished,
    emitQueueCounts,
  });

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
  async function runItem(
    item: OutboxRow,
    port: AshbyPort,
    plans: Map<string, JobPlan>,
    strategy: LookupStrategy,
  ): Promise<void> {
    const client = getClient(db, item.client_id);
    if (client === undefined) return;
    if (client.status === 'disconnected') {
      setItemStatus(
        db,
        clock,
        item.id,
        'paused',
        'client_disconnected',
        `${client.name} is disconnected`,
      );
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
      applyOutcome(item, attemptId, {
        status: 'needs_attention',
        code: 'candidate_missing',
        message: `candidate ${item.candidate_id} no longer exists`,
      });
      return;
    }
    const plan = role.ashby_job_id === null ? undefined : plans.get(role.ashby_job_id);
    try {
      let outcome: ItemOutcome;
      if (plan === undefined) {
        const checked = precheck(item.event, client, role, candidate, undefined);
        outcome = checked.ok
          ? {
              status: 'needs_attention',
              code: 'plan_unknown',
              message: 'the interview plan is unknown',
            }
          : checked.outcome;
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

      const identities = items
        .map(identityOf)
        .filter((identity): identity is Identity => identity !== undefined);
      const choice = chooseStrategy(db, client.id, identities, limits.unknownTenantPages);
      strategy = choice.strategy;
      logger.debug(
        { clientId: client.id, items: items.length, strategy, reason: choice.reason },
        'lookup strategy chosen',
      );
      if (strategy === 'index') {
        await refreshCandidates(db, clock, client.id, port, abort.signal);
        for (const jobId of jobIds)
          await refreshApplications(db, clock, client.id, jobId, port, abort.signal);
      }
      markReachable(client);
    } catch (error) {
      // The batch could not start: every item takes the same failure (and one attempt).
      let disconnected = false;
      for (const item of items) {
        if (disconnected) {
          setItemStatus(
            db,
            clock,
            item.id,
            'paused',
            'client_disconnected',
            `${client.name} is disconnected`,
          );
          continue;
        }
        const attemptId = startAttempt(db, clock, item.id);
        const action = applyFailure(item, attemptId, error);
        if (action.kind === 'disconnect') disconnected = true;
      }
      return;
    }

    const lanes = buildLanes(items, identityOf);
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
    const workers = Array.from(
      { length: Math.min(limits.perClientConcurrency, lanes.length) },
      () => worker(),
    );
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
    // While a client is offline one item at a time serves as the probe: when it gets through,
    // markReachable releases the rest at once, and until then the others are not tried.
    const batchSize = client.status === 'offline' ? 1 : limits.batchSize;
    const items = claimItems(db, clock, clientId, workerId, limits.leaseMs, batchSize);
    if (items.length === 0) return;
    await serveBatch(client, port, items);
  }

  // ---- Link resolution -------------------------------------------------------------------------

  function runningLinkRuns(clientId?: number): RunRow[] {
    const rows = (
      clientId === undefined
        ? db
            .prepare(
              "SELECT * FROM runs WHERE kind = 'link_resolution' AND status = 'running' ORDER BY id",
            )
            .all()
        : db
            .prepare(
              "SELECT * FROM runs WHERE kind = 'link_resolution' AND status = 'running' AND client_id = ? ORDER BY id",
            )
            .all(clientId)
    ) as RunRow[];
    return rows;
  }

  async function serveLinkRuns(client: ClientRow, port: AshbyPort): Promise<void> {
    for (const run of runningLinkRuns(client.id)) {
      if (stopping) return;
      const retryAt = linkRetryAt.get(run.id);
      if (retryAt !== undefined && retryAt > Date.now()) continue;
      try {
        await resolveLinks(linkDeps(), run, client, port);
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
          if (action.kind === 'retry' && action.network)
            setClientStatus(client.id, 'offline', action.message);
          continue;
        }
        setRunStatus(db, clock, run.id, 'failed', action.message);
        if (run.role_id !== null) {
          db.prepare(
            `UPDATE roles SET link_status = 'needs_attention', link_status_reason = ?, updated_at = ? WHERE id = ?`,
          ).run(action.message, isoNow(clock), run.role_id);
        }
        audit({
          clientId: client.id,
          roleId: run.role_id,
          action: 'link_resolution',
          outcome: 'failed',
          message: action.message,
        });
        emitRun(getRun(db, run.id));
      }
    }
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
          events.emit('notice', {
            level: 'error',
            clientId,
            message: `sync failed: ${error instanceof Error ? error.message : String(error)}`,
          });
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
    if (released > 0)
      logger.info({ released }, 'resuming outbox items left running by a previous engine');
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
    else
      events.emit('notice', {
        level: 'warn',
        message: 'another engine is processing this data folder; this one only queues',
      });
    heartbeat = setInterval(
      () => {
        if (!holdsLock) return;
        holdsLock = acquireLock(db, clock, workerId, limits.lockTtlMs);
        if (holdsLock) extendLeases(db, clock, workerId, limits.leaseMs);
        else logger.error({ workerId }, 'lost the engine lock to another process');
      },
      Math.max(50, Math.floor(limits.lockTtlMs / 3)),
    );
    heartbeat.unref();
    loopPromise = loop();
  }

  async function stop(): Promise<void> {
    if (!started) return;
    stopping = true;
    wake();
    const inFlight = Promise.all(active.values());
    let stopTimer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      inFlight.then(() => true),
      new Promise<boolean>((resolve) => {
        stopTimer = setTimeout(() => resolve(false), limits.stopTimeoutMs);
      }),
    ]);
    // Cleared so a stopped engine leaves no timer keeping the process alive.
    clearTimeout(stopTimer);
    if (!finished) {
      logger.warn(
        { clients: [...active.keys()] },
        'stopping: aborting Ashby calls still in flight',
      );
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

  async function runUntilIdle(
    idleOptions: { clientId?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    await start();
    const deadline = Date.now() + (idleOptions.timeoutMs ?? 30_000);
    for (;;) {
      const busyClient =
        idleOptions.clientId === undefined ? active.size > 0 : active.has(idleOptions.clientId);
      const pending = activeItemCount(db, idleOptions.clientId);
      const links = runningLinkRuns(idleOptions.clientId).filter(
        (run) => getClient(db, run.client_id)?.status !== 'disconnected',
      );
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

  function linkDeps(): LinkResolutionDeps {
    return {
      db,
      clock,
      signal: abort.signal,
      chunkSize: limits.chunkSize,
      unknownTenantPages: limits.unknownTenantPages,
      isStopping: () => stopping,
      loadPlan,
      audit,
      emitRun,
    };
  }

  const operations = createOperations({
    db,
    clock,
    chunkSize: limits.chunkSize,
    audit,
    emitRun,
    emitQueueCounts,
    wake,
  });

  const connection = createConnectionChecks({
    db,
    clock,
    logger,
    portFor,
    forgetPort: (clientId) => ports.delete(clientId),
    setClientStatus,
    audit,
    emitQueueCounts,
    wake,
  });

  return {
    events,
    get processing() {
      return holdsLock;
    },
    start,
    stop,
    runUntilIdle,
    ...operations,
    stageMapping: (roleId) => stageMappingFor(db, roleId),
    planBulkPush: (roleId) => selectBulkPush(db, roleId).plan,
    reconnectClient: connection.reconnectClient,
    testConnection: connection.testConnection,
    plannedEffect: (outboxId) => plannedEffectOf(db, outboxId),
    getRun: (runId) => getRun(db, runId),
  };
}

/** Cached plan lookup for callers outside the engine (screens show the stage list offline). */
export { cachedJobPlan };
