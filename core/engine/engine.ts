// The sync engine: schedules outbox items per client, runs them against Ashby, and exposes the
// operations screens and the CLI call (link a role, bulk and manual push, runs, review, reconnect).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LifecycleEvent } from '../../shared/domain.js';
import { createAshbyClient, RateLimiterRegistry } from '../ashby/index.js';
import { createLogger } from '../log/logger.js';
import { recordAudit } from './audit.js';
import { applicationStream, CANDIDATE_STREAM } from './ashby-index.js';
import type { AshbyPort, JobPlan } from './ashby-port.js';
import { createClientServing } from './batches.js';
import { createClientState } from './client-state.js';
import {
  DEFAULT_LIMITS,
  type CreateClientOptions,
  type SyncEngineLimits,
  type SyncEngineOptions,
} from './config.js';
import { createConnectionChecks, type ConnectionTest } from './connection.js';
import { createEngineEvents, type EngineEvents } from './events.js';
import type { BackoffPolicy } from './failures.js';
import { createFreshness } from './freshness.js';
import { createLinkServing } from './link-serving.js';
import { acquireLock, releaseLock } from './lock.js';
import { createOperations } from './operations.js';
import { createOutcomeHandlers } from './outcomes.js';
import {
  activeItemCount,
  clientsWithRunnableItems,
  extendLeases,
  releaseAbandoned,
} from './outbox-store.js';
import {
  cachedJobPlan,
  plannedEffectOf,
  saveJobPlan,
  stageMappingFor,
  type PlannedEffect,
  type StageMapping,
} from './plans.js';
import type { ResumeStore } from './process-item.js';
import { createProgressEvents } from './progress-events.js';
import { getClient, type ClientRow } from './rows.js';
import { getRun, selectBulkPush, type BulkPushPlan, type RunRow } from './runs.js';

export type { ConnectionTest };
export {
  DEFAULT_LIMITS,
  type AshbyConnection,
  type CreateClientOptions,
  type SyncEngineLimits,
  type SyncEngineOptions,
} from './config.js';

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

  const active = new Map<number, Promise<void>>();
  const lastServed = new Map<number, number>();
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

  const { emitQueueCounts, emitRun, noteRunItemFinished, flushQueueCounts, flushRunRefreshes } = createProgressEvents({
    db,
    clock,
    events,
    isStarted: () => started,
  });

  const { setClientStatus, markReachable, disconnect, portFor, forgetPort } = createClientState({
    db,
    clock,
    logger,
    events,
    credentials: options.credentials,
    makeClient,
    limiter,
    audit,
    wake,
    emitQueueCounts,
  });

  const { applyOutcome, applyFailure, retryWithFreshPlan } = createOutcomeHandlers({
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

  // ---- Serving clients -------------------------------------------------------------------------

  const freshness = createFreshness(clock, limits);

  async function loadPlan(client: ClientRow, port: AshbyPort, jobId: string): Promise<JobPlan> {
    const plan = await port.jobPlan(jobId, abort.signal);
    saveJobPlan(db, clock, client.id, plan);
    freshness.notePlanRead(client.id, jobId);
    return plan;
  }

  const { runningLinkRuns, serveLinkRuns } = createLinkServing({
    db,
    clock,
    logger,
    backoff,
    limits,
    signal: () => abort.signal,
    isStopping: () => stopping,
    loadPlan,
    noteIndexRead(clientId: number, jobId: string) {
      freshness.noteStreamRead(clientId, CANDIDATE_STREAM);
      freshness.noteStreamRead(clientId, applicationStream(jobId));
    },
    audit,
    emitRun,
    setClientStatus,
    disconnect,
  });

  const { serveClient } = createClientServing({
    db,
    clock,
    logger,
    limits,
    workerId,
    resumes,
    freshness,
    signal: () => abort.signal,
    isStopping: () => stopping,
    loadPlan,
    portFor,
    markReachable,
    disconnect,
    serveLinkRuns,
    applyOutcome,
    applyFailure,
    retryWithFreshPlan,
  });

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
    flushRunRefreshes();
    flushQueueCounts();
    if (holdsLock) releaseLock(db, workerId);
    holdsLock = false;
    started = false;
  }

  async function runUntilIdle(
    idleOptions: { clientId?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    await start();
    const deadline = Date.now() + (idleOptions.timeoutMs ?? 30_000);
    const waiting = (): { pending: number; links: number } => ({
      pending: activeItemCount(db, idleOptions.clientId),
      links: runningLinkRuns(idleOptions.clientId).filter(
        (run) => getClient(db, run.client_id)?.status !== 'disconnected',
      ).length,
    });
    for (;;) {
      const busyClient =
        idleOptions.clientId === undefined ? active.size > 0 : active.has(idleOptions.clientId);
      // A client being served is not idle, and it wakes the scheduler when it stops. So the outbox
      // is counted only between serves, because counting it every 20 ms slowed big pushes.
      if (!busyClient) {
        const left = waiting();
        if (left.pending === 0 && left.links === 0) {
          flushRunRefreshes();
          return;
        }
        wake();
      }
      if (Date.now() > deadline) {
        const left = waiting();
        throw new Error(
          `the engine did not become idle within ${idleOptions.timeoutMs ?? 30_000} ms (${left.pending} items pending or running, ${left.links} link resolutions running)`,
        );
      }
      await sleep(20);
    }
  }

  // ---- Operations ------------------------------------------------------------------------------

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
    forgetPort,
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
