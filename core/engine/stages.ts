// Stage policy: which interview stage each lifecycle event targets, and whether an existing
// application may move there. Applications move forward only.
import type { LifecycleEvent } from '../../shared/domain.js';

/** An interview stage as Ashby returns it in `interviewStage.list` or `jobInterviewPlan.info`. */
export interface PlanStage {
  id: string;
  title: string;
  type: string;
  orderInInterviewPlan: number;
}

/** Per-role admin choice of a stage for an event, stored in `roles.stage_overrides`. */
export type StageOverrides = Partial<Record<LifecycleEvent, string>>;

export type StageTarget =
  | { ok: true; stage: PlanStage; source: 'plan' | 'override' }
  | { ok: false; code: 'stage_not_found' | 'override_stage_missing'; reason: string };

/** Stage types in the order an application progresses; Archived sits outside this order. */
const STAGE_TYPE_RANK: Record<string, number> = {
  Lead: 0,
  PreInterviewScreen: 1,
  Active: 2,
  Offer: 3,
  Hired: 4,
};

export const REACHED_OUT_TITLE = 'Reached Out';

/** Stage each event looks for in a plan, in the words a "needs attention" message shows. */
export const EVENT_STAGE_DESCRIPTION: Record<LifecycleEvent, string> = {
  shortlist: 'Lead stage',
  request_intro: `Lead stage titled "${REACHED_OUT_TITLE}"`,
  complete_intro: 'Active stage (type PreInterviewScreen or Active)',
  archive: 'Archived stage',
  hire: 'Hired stage',
};

function byOrder(a: PlanStage, b: PlanStage): number {
  return a.orderInInterviewPlan - b.orderInInterviewPlan;
}

function firstOfTypes(
  stages: readonly PlanStage[],
  types: readonly string[],
): PlanStage | undefined {
  return [...stages].filter((stage) => types.includes(stage.type)).sort(byOrder)[0];
}

/** Finds the stage of `stages` that `event` maps to by default, or undefined when the plan has none. */
export function defaultStageFor(
  event: LifecycleEvent,
  stages: readonly PlanStage[],
): PlanStage | undefined {
  switch (event) {
    case 'shortlist':
      return firstOfTypes(stages, ['Lead']);
    case 'request_intro':
      return [...stages]
        .filter(
          (stage) =>
            stage.type === 'Lead' &&
            stage.title.trim().toLowerCase() === REACHED_OUT_TITLE.toLowerCase(),
        )
        .sort(byOrder)[0];
    case 'complete_intro':
      return firstOfTypes(stages, ['PreInterviewScreen', 'Active']);
    case 'archive':
      return firstOfTypes(stages, ['Archived']);
    case 'hire':
      return firstOfTypes(stages, ['Hired']);
  }
}

/**
 * Resolves the target stage of `event`. An admin override wins over the default; an override
 * whose stage is gone from the plan is reported rather than replaced by some other stage.
 */
export function targetStage(
  event: LifecycleEvent,
  stages: readonly PlanStage[],
  overrides: StageOverrides,
): StageTarget {
  const overrideId = overrides[event];
  if (overrideId !== undefined) {
    const stage = stages.find((candidate) => candidate.id === overrideId);
    if (stage === undefined) {
      return {
        ok: false,
        code: 'override_stage_missing',
        reason: `the stage chosen for ${event} (${overrideId}) is no longer in the job's interview plan; choose a stage again`,
      };
    }
    return { ok: true, stage, source: 'override' };
  }

  const stage = defaultStageFor(event, stages);
  if (stage === undefined) {
    return {
      ok: false,
      code: 'stage_not_found',
      reason: `the job's interview plan has no ${EVENT_STAGE_DESCRIPTION[event]}; choose a stage for ${event} on the role`,
    };
  }
  return { ok: true, stage, source: 'plan' };
}

/** The current position of an existing application. */
export interface ApplicationPosition {
  status: string;
  stage: PlanStage;
}

export type MoveDecision =
  | { kind: 'move'; to: PlanStage }
  | { kind: 'unchanged'; reason: string }
  | { kind: 'review'; code: 'archived_in_ashby'; reason: string };

/** Orders two non-archived stages by type rank, then by their order in the plan. */
export function compareStages(a: PlanStage, b: PlanStage): number {
  const rankA = STAGE_TYPE_RANK[a.type] ?? -1;
  const rankB = STAGE_TYPE_RANK[b.type] ?? -1;
  if (rankA !== rankB) return rankA - rankB;
  return a.orderInInterviewPlan - b.orderInInterviewPlan;
}

function isArchived(position: ApplicationPosition): boolean {
  return position.status === 'Archived' || position.stage.type === 'Archived';
}

function isHired(position: ApplicationPosition): boolean {
  return position.status === 'Hired' || position.stage.type === 'Hired';
}

/**
 * Decides what happens to an existing application when `event` targets `target`: move forward,
 * stay (equal or past, with the reason for the audit log), or wait for review because moving would
 * revive an application the client archived. A hired application is never archived.
 */
export function decideMove(
  event: LifecycleEvent,
  current: ApplicationPosition,
  target: PlanStage,
): MoveDecision {
  if (event === 'archive') {
    if (isArchived(current)) return { kind: 'unchanged', reason: 'already archived in Ashby' };
    if (isHired(current))
      return {
        kind: 'unchanged',
        reason: 'already hired in Ashby; a hired application is never archived',
      };
    return { kind: 'move', to: target };
  }

  if (isArchived(current)) {
    return {
      kind: 'review',
      code: 'archived_in_ashby',
      reason: `the application is archived in Ashby; moving it to "${target.title}" would revive it`,
    };
  }

  const order = compareStages(target, current.stage);
  if (current.stage.id === target.id || order === 0) {
    return { kind: 'unchanged', reason: `already at ${target.title}` };
  }
  if (order < 0) {
    return {
      kind: 'unchanged',
      reason: `already past ${target.title} (at ${current.stage.title}); applications only move forward`,
    };
  }
  return { kind: 'move', to: target };
}
