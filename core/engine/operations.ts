// Admin operations on roles, runs and queued items. Each change is one transaction with its audit
// entry; the engine's scheduler picks up what becomes runnable.
import type Database from 'better-sqlite3';
import { EVENT_FOR_STATE, type LifecycleEvent, type PipelineState } from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';
import { yieldToEventLoop } from '../turns.js';
import type { EngineAuditEntry } from './audit.js';
import { enqueueLifecycleEvent } from './enqueue.js';
import { readProgress, recordStep, saveProgress, setItemStatus } from './outbox-store.js';
import { cachedJobPlan, stageMappingFor, type StageMapping } from './plans.js';
import { getCandidate, getOutboxItem, getRole, parseJson } from './rows.js';
import {
  createRun,
  getRun,
  refreshBulkRun,
  selectBulkPush,
  setRunStatus,
  type RunRow,
} from './runs.js';
import { storeStage } from './stage-mapping.js';
import { targetStage, type StageOverrides } from './stages.js';

/** Reason codes of items parked because of the role's stage mapping; an override re-queues them. */
export const MAPPING_CODES = new Set([
  'stage_not_found',
  'override_stage_missing',
  'mapped_stage_missing',
  'ashby_interview_stage_not_found',
  'plan_unknown',
]);

const RETRYABLE_STATUSES = new Set(['needs_attention', 'failed', 'cancelled']);


export interface OperationDeps {
  db: Database.Database;
  clock: Clock;
  /** Candidates enqueued per transaction by a bulk push. */
  chunkSize: number;
  audit(entry: EngineAuditEntry): void;
  emitRun(run: RunRow | undefined): void;
  emitQueueCounts(clientId: number): void;
  /** Wakes the scheduler so new runnable work starts without waiting for the next poll. */
  wake(): void;
}

export function createOperations(deps: OperationDeps) {
  const { db, clock, audit, emitRun, emitQueueCounts, wake } = deps;
  const limits = { chunkSize: deps.chunkSize };

  async function linkRole(roleId: number, ashbyJobId: string): Promise<number> {
    const role = getRole(db, roleId);
    if (role === undefined) throw new Error(`role ${roleId} was not found`);
    const runId = db.transaction(() => {
      db.prepare(
        `UPDATE roles SET ashby_job_id = ?, link_status = 'resolving', link_status_reason = NULL, stage_mapping = '{}', updated_at = ? WHERE id = ?`,
      ).run(ashbyJobId, isoNow(clock), roleId);
      db.prepare(
        `UPDATE runs SET status = 'cancelled', message = 'replaced by a new link', finished_at = ?, updated_at = ?
         WHERE role_id = ? AND kind = 'link_resolution' AND status IN ('running', 'paused')`,
      ).run(isoNow(clock), isoNow(clock), roleId);
      const id = createRun(db, clock, role.client_id, roleId, 'link_resolution', 0);
      audit({
        clientId: role.client_id,
        roleId,
        action: 'role_linked',
        outcome: 'ok',
        actor: 'admin',
        message: `linked role "${role.title}" to Ashby job ${ashbyJobId}`,
      });
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
           link_status_reason = NULL, stage_mapping = '{}', updated_at = ? WHERE id = ?`,
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

  /**
   * Stores the stage an admin's choice leaves `event` mapped to: the chosen stage, or after a
   * cleared choice the plan's default. The entry is removed when no stage can be resolved yet.
   */
  function storeChosenStage(
    clientId: number,
    jobId: string | null,
    roleId: number,
    event: LifecycleEvent,
    overrides: StageOverrides,
  ): void {
    const plan = jobId === null ? undefined : cachedJobPlan(db, clientId, jobId);
    const target = plan === undefined ? undefined : targetStage(event, plan.stages, overrides);
    if (target?.ok === true) {
      storeStage(db, clock, roleId, event, target.stage);
      return;
    }
    const chosen = overrides[event];
    // A stage missing from the cached plan is stored by id; the next push checks it against Ashby.
    storeStage(
      db,
      clock,
      roleId,
      event,
      chosen === undefined ? null : { id: chosen, title: chosen },
    );
  }

  function setStageOverride(
    roleId: number,
    event: LifecycleEvent,
    stageId: string | null,
  ): StageMapping {
    const role = getRole(db, roleId);
    if (role === undefined) throw new Error(`role ${roleId} was not found`);
    const overrides = parseJson<StageOverrides>(role.stage_overrides, {});
    if (stageId === null) delete overrides[event];
    else overrides[event] = stageId;
    db.transaction(() => {
      db.prepare('UPDATE roles SET stage_overrides = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(overrides),
        isoNow(clock),
        roleId,
      );
      storeChosenStage(role.client_id, role.ashby_job_id, roleId, event, overrides);
      audit({
        clientId: role.client_id,
        roleId,
        event,
        action: 'stage_override',
        outcome: 'ok',
        actor: 'admin',
        message:
          stageId === null
            ? `cleared the stage chosen for ${event}`
            : `chose stage ${stageId} for ${event}`,
      });
    })();
    const mapping = stageMappingFor(db, roleId);
    if (mapping.complete && role.link_status === 'needs_attention') {
      db.prepare(
        `UPDATE roles SET link_status = 'linked', link_status_reason = NULL, updated_at = ? WHERE id = ?`,
      ).run(isoNow(clock), roleId);
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
          enqueueLifecycleEvent(db, clock, {
            clientId: plan.clientId,
            roleId,
            candidateId: entry.id,
            event: entry.event,
            origin: 'bulk_push',
            runId,
          });
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
      audit({
        clientId: run.client_id,
        roleId: run.role_id,
        action: 'run_paused',
        outcome: 'ok',
        actor: 'admin',
        message: `paused run ${runId}`,
      });
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
      audit({
        clientId: run.client_id,
        roleId: run.role_id,
        action: 'run_resumed',
        outcome: 'ok',
        actor: 'admin',
        message: `resumed run ${runId}`,
      });
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
      audit({
        clientId: run.client_id,
        roleId: run.role_id,
        action: 'run_cancelled',
        outcome: 'ok',
        actor: 'admin',
        message: `cancelled run ${runId}; ${cancelled} items not sent`,
      });
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
        db.prepare(
          `UPDATE runs SET status = 'running', finished_at = NULL, message = ?, updated_at = ? WHERE id = ?`,
        ).run(`retrying ${count} failed items`, isoNow(clock), runId);
        audit({
          clientId: run.client_id,
          roleId: run.role_id,
          action: 'retried',
          outcome: 'ok',
          actor: 'admin',
          message: `retrying ${count} failed items of run ${runId}`,
        });
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
        db.prepare(
          `UPDATE runs SET status = 'running', finished_at = NULL, updated_at = ? WHERE id = ? AND status IN ('completed', 'completed_with_failures')`,
        ).run(isoNow(clock), item.run_id);
      }
    })();
    emitQueueCounts(item.client_id);
    wake();
    return true;
  }

  function reviewApprove(ids: readonly number[]): number {
    let approvedCount = 0;
    db.transaction(() => {
      for (const id of ids) {
        const item = getOutboxItem(db, id);
        if (item === undefined || item.status !== 'review') continue;
        const progress = readProgress(item);
        progress.approved = [
          ...new Set([...(progress.approved ?? []), item.reason_code ?? 'review']),
        ];
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
        if (
          item === undefined ||
          !['review', 'pending', 'paused', 'needs_attention', 'failed'].includes(item.status)
        )
          continue;
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
    linkRole,
    unlinkRole,
    setStageOverride,
    startBulkPush,
    manualPush,
    pauseRun,
    resumeRun,
    cancelRun,
    retryFailed,
    retryItem,
    reviewApprove,
    reviewDiscard,
  };
}
