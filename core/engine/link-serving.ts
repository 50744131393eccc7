// Link resolution as the engine serves it: running link-resolution runs of a client, retried
// after a network failure and marked failed (with the role) on any other failure.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ClientStatus } from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import type { AshbyPort, JobPlan } from './ashby-port.js';
import type { EngineAuditEntry } from './audit.js';
import type { SyncEngineLimits } from './config.js';
import { classifyFailure, type BackoffPolicy } from './failures.js';
import { resolveLinks, type LinkResolutionDeps } from './link-resolution.js';
import type { ClientRow } from './rows.js';
import { getRun, setRunStatus, type RunRow } from './runs.js';

export interface LinkServingDeps {
  db: Database.Database;
  clock: Clock;
  logger: Logger;
  backoff: BackoffPolicy;
  limits: SyncEngineLimits;
  /** The engine's current abort signal, replaced on each start. */
  signal(): AbortSignal;
  isStopping(): boolean;
  loadPlan(client: ClientRow, port: AshbyPort, jobId: string): Promise<JobPlan>;
  noteIndexRead(clientId: number, jobId: string): void;
  audit(entry: EngineAuditEntry): void;
  emitRun(run: RunRow | undefined): void;
  setClientStatus(clientId: number, status: ClientStatus, reason: string | null): void;
  disconnect(clientId: number, message: string): void;
}

export function createLinkServing(deps: LinkServingDeps) {
  const {
    db,
    clock,
    logger,
    backoff,
    limits,
    signal,
    isStopping,
    loadPlan,
    noteIndexRead,
    audit,
    emitRun,
    setClientStatus,
    disconnect,
  } = deps;
  const linkRetryAt = new Map<number, number>();

  function runningLinkRuns(clientId?: number): RunRow[] {
    const rows = (
      clientId === undefined
        ? prepareCached(
            db,
            "SELECT * FROM runs WHERE kind = 'link_resolution' AND status = 'running' ORDER BY id",
          ).all()
        : prepareCached(
            db,
            "SELECT * FROM runs WHERE kind = 'link_resolution' AND status = 'running' AND client_id = ? ORDER BY id",
          ).all(clientId)
    ) as RunRow[];
    return rows;
  }

  async function serveLinkRuns(client: ClientRow, port: AshbyPort): Promise<void> {
    for (const run of runningLinkRuns(client.id)) {
      if (isStopping()) return;
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
          prepareCached(
            db,
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

  function linkDeps(): LinkResolutionDeps {
    return {
      db,
      clock,
      signal: signal(),
      chunkSize: limits.chunkSize,
      unknownTenantPages: limits.unknownTenantPages,
      isStopping,
      loadPlan,
      noteIndexRead,
      audit,
      emitRun,
    };
  }

  return { runningLinkRuns, serveLinkRuns };
}
