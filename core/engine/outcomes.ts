// Outcome handling after each attempt on an outbox item: the item's new status, the candidate's
// Ashby link, the role's mapping state, the client's status, the audit entry and run counters.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ClientStatus } from '../../shared/domain.js';
import { isAshbyError } from '../ashby/index.js';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import type { EngineAuditEntry } from './audit.js';
import { classifyFailure, type BackoffPolicy, type FailureAction } from './failures.js';
import { MAPPING_CODES } from './operations.js';
import { finishAttempt, readProgress, releaseClaim, setItemStatus } from './outbox-store.js';
import type { ItemOutcome } from './process-item.js';
import { getOutboxItem, type OutboxRow } from './rows.js';

export interface OutcomeDeps {
  db: Database.Database;
  clock: Clock;
  logger: Logger;
  backoff: BackoffPolicy;
  audit(entry: EngineAuditEntry): void;
  setClientStatus(clientId: number, status: ClientStatus, reason: string | null): void;
  disconnect(clientId: number, message: string): void;
  noteRunItemFinished(runId: number | null): void;
  emitQueueCounts(clientId: number): void;
}

/** Returns the fields that tie an audit entry to an outbox item. */
function auditBase(item: OutboxRow) {
  return {
    clientId: item.client_id,
    roleId: item.role_id,
    candidateId: item.candidate_id,
    outboxId: item.id,
    event: item.event,
  };
}

export function createOutcomeHandlers(deps: OutcomeDeps) {
  const {
    db,
    clock,
    logger,
    backoff,
    audit,
    setClientStatus,
    disconnect,
    noteRunItemFinished,
    emitQueueCounts,
  } = deps;

  function applyOutcome(item: OutboxRow, attemptId: number, outcome: ItemOutcome): void {
    const progress = readProgress(getOutboxItem(db, item.id) ?? item);
    db.transaction(() => {
      const now = isoNow(clock);
      if (outcome.status === 'done') {
        const reasonCode =
          outcome.outcome === 'unchanged' || outcome.outcome === 'skipped' ? outcome.outcome : null;
        setItemStatus(db, clock, item.id, 'done', reasonCode, outcome.message);
        finishAttempt(db, clock, attemptId, 'done', null, null);
        if (progress.ashbyCandidateId !== undefined) {
          const linked = progress.applicationId !== undefined;
          prepareCached(
            db,
            `UPDATE candidates SET ashby_status = ?, ashby_status_reason = NULL, ashby_candidate_id = ?,
               ashby_application_id = COALESCE(?, ashby_application_id), updated_at = ? WHERE id = ?`,
          ).run(
            linked ? 'linked' : 'not_in_ashby',
            progress.ashbyCandidateId,
            progress.applicationId ?? null,
            now,
            item.candidate_id,
          );
        } else if (outcome.outcome === 'skipped') {
          // Nothing was found or written in Ashby (an archive for someone Ashby does not hold), so
          // the pipeline shows the candidate as not in Ashby and later bulk pushes leave them out.
          prepareCached(
            db,
            `UPDATE candidates SET ashby_status = 'not_in_ashby', ashby_status_reason = ?, updated_at = ? WHERE id = ?`,
          ).run(outcome.message, now, item.candidate_id);
        }
        prepareCached(db, 'UPDATE clients SET last_push_at = ? WHERE id = ?').run(
          now,
          item.client_id,
        );
      } else if (outcome.status === 'review') {
        setItemStatus(db, clock, item.id, 'review', outcome.code, outcome.message);
        finishAttempt(db, clock, attemptId, 'review', outcome.code, outcome.message);
      } else {
        setItemStatus(db, clock, item.id, 'needs_attention', outcome.code, outcome.message);
        finishAttempt(db, clock, attemptId, 'needs_attention', outcome.code, outcome.message);
        if (outcome.code === 'resume_failed') {
          prepareCached(
            db,
            `UPDATE candidates SET ashby_status = 'linked', ashby_candidate_id = ?, ashby_application_id = ?, updated_at = ? WHERE id = ?`,
          ).run(
            progress.ashbyCandidateId ?? null,
            progress.applicationId ?? null,
            now,
            item.candidate_id,
          );
        } else {
          prepareCached(
            db,
            `UPDATE candidates SET ashby_status = 'needs_attention', ashby_status_reason = ?, updated_at = ? WHERE id = ?`,
          ).run(outcome.message, now, item.candidate_id);
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
          prepareCached(
            db,
            `UPDATE roles SET link_status = 'needs_attention', link_status_reason = ?, updated_at = ? WHERE id = ?`,
          ).run(outcome.message, now, item.role_id);
        }
      }
    })();
    logger.info(
      {
        outboxId: item.id,
        clientId: item.client_id,
        status: outcome.status,
        message: outcome.message,
      },
      'outbox item finished',
    );
    noteRunItemFinished(item.run_id);
    emitQueueCounts(item.client_id);
  }

  function applyFailure(item: OutboxRow, attemptId: number, error: unknown): FailureAction {
    const action = classifyFailure(error, item.attempts, backoff);
    const base = auditBase(item);
    const requestId = isAshbyError(error) ? (error.requestId ?? null) : null;
    switch (action.kind) {
      case 'retry': {
        const next = new Date(clock.now() + action.delayMs).toISOString();
        db.transaction(() => {
          setItemStatus(db, clock, item.id, 'pending', action.code, action.message, next);
          if (!action.countsAsAttempt)
            prepareCached(db, 'UPDATE outbox SET attempts = attempts - 1 WHERE id = ?').run(
              item.id,
            );
          finishAttempt(db, clock, attemptId, 'retry', action.code, action.message);
          audit({
            ...base,
            action: 'retry_scheduled',
            outcome: 'failed',
            message: `will retry in ${Math.round(action.delayMs / 100) / 10} s: ${action.message}`,
            ashbyRequestId: requestId,
          });
        })();
        logger.warn(
          {
            outboxId: item.id,
            clientId: item.client_id,
            code: action.code,
            delayMs: action.delayMs,
            err: error,
          },
          'outbox item will be retried',
        );
        if (action.network) setClientStatus(item.client_id, 'offline', action.message);
        break;
      }
      case 'disconnect':
        finishAttempt(db, clock, attemptId, 'paused', action.code, action.message);
        logger.error(
          { outboxId: item.id, clientId: item.client_id, err: error },
          'Ashby rejected the key; pausing the client',
        );
        disconnect(item.client_id, action.message);
        break;
      case 'needs_attention':
        applyOutcome(item, attemptId, {
          status: 'needs_attention',
          code: action.code,
          message: action.message,
        });
        if (requestId !== null)
          audit({
            ...base,
            action: 'ashby_error',
            outcome: 'failed',
            message: action.message,
            ashbyRequestId: requestId,
          });
        logger.warn(
          { outboxId: item.id, clientId: item.client_id, code: action.code, err: error },
          'outbox item needs attention',
        );
        if (action.code === 'ashby_missing_permission')
          setClientStatus(item.client_id, 'needs_attention', action.message);
        return action;
      case 'release':
        db.transaction(() => {
          releaseClaim(db, clock, item.id);
          finishAttempt(db, clock, attemptId, 'retry', action.code, action.message);
        })();
        break;
    }
    emitQueueCounts(item.client_id);
    return action;
  }

  /**
   * Puts an item back to run again at once, without counting the attempt. Ashby rejected a write
   * because the job or its plan changed, so the next batch reads the plan again and decides with
   * it. A deleted stage then parks the item by name.
   */
  function retryWithFreshPlan(item: OutboxRow, attemptId: number, error: unknown): void {
    const code = isAshbyError(error) && error.kind === 'api' ? error.ashbyCode : 'plan_changed';
    const message = `Ashby reported ${code}; the job's interview plan is read again before a retry`;
    db.transaction(() => {
      releaseClaim(db, clock, item.id, 'plan_changed', message);
      finishAttempt(db, clock, attemptId, 'retry', 'plan_changed', message);
      audit({
        ...auditBase(item),
        action: 'retry_scheduled',
        outcome: 'failed',
        message,
        ashbyRequestId: isAshbyError(error) ? (error.requestId ?? null) : null,
      });
    })();
    logger.info({ outboxId: item.id, clientId: item.client_id, code }, message);
    emitQueueCounts(item.client_id);
  }

  return { applyOutcome, applyFailure, retryWithFreshPlan };
}
