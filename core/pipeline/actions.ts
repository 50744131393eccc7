// The five pipeline actions an admin takes in the console. Each one changes a candidate's state
// and queues the matching lifecycle event the same way an import does, in one transaction.
import type Database from 'better-sqlite3';
import { LifecycleEvent, STATE_FOR_EVENT, type PipelineState } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { enqueueLifecycleEvent } from '../engine/enqueue.js';
import { appendAudit } from '../store/repo/audit.js';
import { getCandidate, setCandidateState } from '../store/repo/candidates.js';

/** The actions are the lifecycle events; `request_intro` moves the candidate to intro_requested, and so on. */
export const PipelineAction = LifecycleEvent;
export type PipelineAction = LifecycleEvent;

export interface PipelineActionInput {
  /** Console candidate id (candidates.id). */
  candidateId: number;
  action: PipelineAction;
  /** Actor recorded in the audit log. Default `user`. */
  actor?: string;
}

export interface PipelineActionResult {
  candidateId: number;
  previousState: PipelineState;
  state: PipelineState;
  /** False when the candidate was already in the target state; nothing is queued then. */
  changed: boolean;
  /** The queued outbox item, or null when nothing changed. */
  outboxId: number | null;
  auditId: number;
}

export class PipelineActionError extends Error {
  constructor(
    readonly code: 'candidate_not_found' | 'invalid_action',
    message: string,
  ) {
    super(message);
    this.name = 'PipelineActionError';
  }
}

/**
 * Moves a candidate to the state of `action`, stamped with the clock's time, and queues the
 * lifecycle event with origin `action`. Taking the action a candidate is already in changes
 * nothing and queues nothing, as re-importing an unchanged row does; the audit log records both.
 * A later import with an older `stateChangedAt` does not undo the action.
 */
export function applyPipelineAction(
  db: Database.Database,
  clock: Clock,
  input: PipelineActionInput,
): PipelineActionResult {
  const parsed = PipelineAction.safeParse(input.action);
  if (!parsed.success) {
    throw new PipelineActionError(
      'invalid_action',
      `unknown pipeline action "${String(input.action)}"; use one of ${PipelineAction.options.join(', ')}`,
    );
  }
  const action = parsed.data;
  const targetState = STATE_FOR_EVENT[action];
  const actor = input.actor ?? 'user';

  return db.transaction((): PipelineActionResult => {
    const candidate = getCandidate(db, input.candidateId);
    if (!candidate) {
      throw new PipelineActionError('candidate_not_found', `candidate ${input.candidateId} not found`);
    }
    const base = {
      clientId: candidate.clientId,
      roleId: candidate.roleId,
      candidateId: candidate.id,
      event: action,
      action: 'pipeline.action',
      actor,
    };

    if (candidate.state === targetState) {
      const audit = appendAudit(db, clock, {
        ...base,
        outcome: 'unchanged',
        message: `${candidate.name} is already ${targetState}; nothing was queued.`,
        details: { state: targetState },
      });
      return { candidateId: candidate.id, previousState: candidate.state, state: targetState, changed: false, outboxId: null, auditId: audit.id };
    }

    setCandidateState(db, clock, candidate.id, targetState);
    const outboxId = enqueueLifecycleEvent(db, clock, {
      clientId: candidate.clientId,
      roleId: candidate.roleId,
      candidateId: candidate.id,
      event: action,
      origin: 'action',
    });
    const audit = appendAudit(db, clock, {
      ...base,
      outboxId,
      outcome: 'state_changed',
      message: `${candidate.name} moved from ${candidate.state} to ${targetState}; ${action} queued.`,
      details: { previousState: candidate.state, state: targetState },
    });
    return { candidateId: candidate.id, previousState: candidate.state, state: targetState, changed: true, outboxId, auditId: audit.id };
  })();
}
