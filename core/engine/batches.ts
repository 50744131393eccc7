// Serving one client: its running link resolutions, then a batch of claimed outbox items, run in
// lanes so one person's items never overlap. Before the batch, job plans and the Ashby index are
// read again where they are no longer fresh (see freshness.ts).
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { yieldToEventLoop } from '../turns.js';
import {
  applicationStream,
  CANDIDATE_STREAM,
  refreshApplications,
  refreshCandidates,
} from './ashby-index.js';
import type { AshbyPort, JobPlan } from './ashby-port.js';
import type { SyncEngineLimits } from './config.js';
import { planChanged, type Freshness } from './freshness.js';
import { buildLanes } from './lanes.js';
import {
  claimItems,
  readProgress,
  releaseClaim,
  setItemStatus,
  startAttempt,
} from './outbox-store.js';
import { cachedJobPlan } from './plans.js';
import type { createOutcomeHandlers } from './outcomes.js';
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

type OutcomeHandlers = ReturnType<typeof createOutcomeHandlers>;

export interface ClientServingDeps {
  db: Database.Database;
  clock: Clock;
  logger: Logger;
  limits: SyncEngineLimits;
  workerId: string;
  resumes: ResumeStore | undefined;
  freshness: Freshness;
  /** The engine's current abort signal, replaced on each start. */
  signal(): AbortSignal;
  isStopping(): boolean;
  loadPlan(client: ClientRow, port: AshbyPort, jobId: string): Promise<JobPlan>;
  portFor(client: ClientRow): Promise<AshbyPort | null>;
  markReachable(client: ClientRow): void;
  disconnect(clientId: number, message: string): void;
  serveLinkRuns(client: ClientRow, port: AshbyPort): Promise<void>;
  applyOutcome: OutcomeHandlers['applyOutcome'];
  applyFailure: OutcomeHandlers['applyFailure'];
  retryWithFreshPlan: OutcomeHandlers['retryWithFreshPlan'];
}


/**
 * Wraps `port` so that each call Ashby responds to runs `onAnswer`. Only a response shows that an
 * offline client is reachable again: a batch whose plans and index are fresh, or an item decided
 * from them, makes no call at all.
 */
function reportingAnswers(port: AshbyPort, onAnswer: () => void): AshbyPort {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        const result: unknown = await (value as (...params: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        );
        onAnswer();
        return result;
      };
    },
  });
}

export function createClientServing(deps: ClientServingDeps) {
  const {
    db,
    clock,
    logger,
    limits,
    workerId,
    resumes,
    freshness,
    signal,
    isStopping,
    loadPlan,
    portFor,
    markReachable,
    disconnect,
    serveLinkRuns,
    applyOutcome,
    applyFailure,
    retryWithFreshPlan,
  } = deps;

  function identityOf(item: OutboxRow): Identity | undefined {
    const candidate = getCandidate(db, item.candidate_id);
    if (candidate === undefined) return undefined;
    const identity = candidateIdentity(candidate);
    return identity.ok ? identity.identity : undefined;
  }

  /** Runs one claimed item and applies its outcome. */
  async function runItem(
    item: OutboxRow,
    port: AshbyPort,
    plans: Map<string, JobPlan>,
    plansReadNow: ReadonlySet<string>,
    strategy: LookupStrategy,
  ): Promise<'next' | 'stop_lane'> {
    const client = getClient(db, item.client_id);
    if (client === undefined) return 'next';
    if (client.status === 'disconnected') {
      setItemStatus(
        db,
        clock,
        item.id,
        'paused',
        'client_disconnected',
        `${client.name} is disconnected`,
      );
      return 'next';
    }
    if (isStopping()) {
      releaseClaim(db, clock, item.id);
      return 'next';
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
      return 'next';
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
          signal: signal(),
        });
      }
      applyOutcome(item, attemptId, outcome);
      return 'next';
    } catch (error) {
      const jobId = role.ashby_job_id;
      if (jobId !== null && planChanged(error) && !plansReadNow.has(jobId)) {
        // The stored plan was out of date; the item runs again against a fresh one.
        freshness.forgetPlan(client.id, jobId);
        retryWithFreshPlan(item, attemptId, error);
      } else {
        freshness.noteFailure(client.id, error);
        applyFailure(item, attemptId, error);
      }
      // A failed write may have created this person in Ashby without the index knowing, so the
      // person's next items wait for a batch that reads the index again.
      return 'stop_lane';
    }
  }

  /** Returns each job's plan: the stored copy while it is fresh, otherwise one read from Ashby. */
  async function plansFor(
    client: ClientRow,
    port: AshbyPort,
    jobIds: ReadonlySet<string>,
  ): Promise<{ plans: Map<string, JobPlan>; readNow: Set<string> }> {
    const plans = new Map<string, JobPlan>();
    const readNow = new Set<string>();
    for (const jobId of jobIds) {
      const stored = freshness.planIsFresh(client.id, jobId)
        ? cachedJobPlan(db, client.id, jobId)
        : undefined;
      if (stored !== undefined) {
        plans.set(jobId, stored);
      } else {
        plans.set(jobId, await loadPlan(client, port, jobId));
        readNow.add(jobId);
      }
    }
    return { plans, readNow };
  }

  /** Reads the changes of each index stream the batch uses that is no longer fresh. */
  async function refreshStaleStreams(
    client: ClientRow,
    port: AshbyPort,
    jobIds: ReadonlySet<string>,
  ): Promise<void> {
    if (!freshness.streamIsFresh(client.id, CANDIDATE_STREAM)) {
      await refreshCandidates(db, clock, client.id, port, signal());
      freshness.noteStreamRead(client.id, CANDIDATE_STREAM);
    }
    for (const jobId of jobIds) {
      const stream = applicationStream(jobId);
      if (freshness.streamIsFresh(client.id, stream)) continue;
      await refreshApplications(db, clock, client.id, jobId, port, signal());
      freshness.noteStreamRead(client.id, stream);
    }
  }

  async function serveBatch(client: ClientRow, port: AshbyPort, items: OutboxRow[]): Promise<void> {
    let plans = new Map<string, JobPlan>();
    let plansReadNow = new Set<string>();
    let strategy: LookupStrategy = 'index';
    try {
      const jobIds = new Set<string>();
      for (const item of items) {
        const role = getRole(db, item.role_id);
        if (role?.ashby_job_id) jobIds.add(role.ashby_job_id);
      }
      ({ plans, readNow: plansReadNow } = await plansFor(client, port, jobIds));

      const identities = items
        .map(identityOf)
        .filter((identity): identity is Identity => identity !== undefined);
      const choice = chooseStrategy(db, client.id, identities, limits.unknownTenantPages);
      strategy = choice.strategy;
      logger.debug(
        { clientId: client.id, items: items.length, strategy, reason: choice.reason },
        'lookup strategy chosen',
      );
      if (strategy === 'index') await refreshStaleStreams(client, port, jobIds);
    } catch (error) {
      freshness.noteFailure(client.id, error);
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
        for (let index = 0; index < lane.length; index += 1) {
          const afterItem = await runItem(
            lane[index] as OutboxRow,
            port,
            plans,
            plansReadNow,
            strategy,
          );
          await yieldToEventLoop();
          if (afterItem === 'stop_lane') {
            for (const item of lane.slice(index + 1)) releaseClaim(db, clock, item.id);
            break;
          }
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
    if (isStopping()) return;
    // While a client is offline one item at a time serves as the probe: when Ashby responds to one
    // of its calls, markReachable releases the rest at once, and until then they are not tried.
    const batchSize = client.status === 'offline' ? 1 : limits.batchSize;
    const items = claimItems(db, clock, clientId, workerId, limits.leaseMs, batchSize);
    if (items.length === 0) return;
    await serveBatch(
      client,
      reportingAnswers(port, () => markReachable(client)),
      items,
    );
  }

  return { serveClient };
}
