import { describe, expect, it } from 'vitest';
import {
  decideMove,
  defaultStageFor,
  targetStage,
  type ApplicationPosition,
  type PlanStage,
} from '../../../core/engine/stages.js';

function stage(id: string, title: string, type: string, order: number): PlanStage {
  return { id, title, type, orderInInterviewPlan: order };
}

// Listed out of order on purpose: the policy must sort by orderInInterviewPlan itself.
const PLAN: PlanStage[] = [
  stage('s-screen', 'Recruiter Screen', 'PreInterviewScreen', 4),
  stage('s-new', 'New Lead', 'Lead', 1),
  stage('s-reached', 'Reached Out', 'Lead', 2),
  stage('s-replied', 'Replied', 'Lead', 3),
  stage('s-onsite', 'Onsite', 'Active', 5),
  stage('s-offer', 'Offer', 'Offer', 6),
  stage('s-hired', 'Hired', 'Hired', 7),
  stage('s-archived', 'Archived', 'Archived', 8),
];

function at(stageId: string, status: string): ApplicationPosition {
  const found = PLAN.find((candidate) => candidate.id === stageId);
  if (found === undefined) throw new Error(`no stage ${stageId} in the test plan`);
  return { status, stage: found };
}

function target(id: string): PlanStage {
  return at(id, 'Lead').stage;
}

describe('defaultStageFor', () => {
  it('maps each event to its stage', () => {
    expect(defaultStageFor('shortlist', PLAN)?.id).toBe('s-new');
    expect(defaultStageFor('request_intro', PLAN)?.id).toBe('s-reached');
    expect(defaultStageFor('complete_intro', PLAN)?.id).toBe('s-screen');
    expect(defaultStageFor('archive', PLAN)?.id).toBe('s-archived');
    expect(defaultStageFor('hire', PLAN)?.id).toBe('s-hired');
  });

  it('takes an Active stage when no screen exists', () => {
    const plan = PLAN.filter((candidate) => candidate.type !== 'PreInterviewScreen');
    expect(defaultStageFor('complete_intro', plan)?.id).toBe('s-onsite');
  });

  it('matches Reached Out regardless of case', () => {
    const plan = [stage('x', 'reached out ', 'Lead', 1)];
    expect(defaultStageFor('request_intro', plan)?.id).toBe('x');
  });

  it('ignores Reached Out outside the Lead section', () => {
    const plan = [stage('x', 'Reached Out', 'Active', 1)];
    expect(defaultStageFor('request_intro', plan)).toBeUndefined();
  });
});

describe('targetStage', () => {
  it('reports a plan without a Hired stage', () => {
    const plan = PLAN.filter((candidate) => candidate.type !== 'Hired');
    const result = targetStage('hire', plan, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('stage_not_found');
    expect(result.reason).toContain('has no Hired stage');
  });

  it('prefers an admin override', () => {
    const result = targetStage('complete_intro', PLAN, { complete_intro: 's-onsite' });
    expect(result).toEqual({ ok: true, stage: target('s-onsite'), source: 'override' });
  });

  it('never falls back when the override stage is gone', () => {
    const result = targetStage('complete_intro', PLAN, { complete_intro: 's-deleted' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('override_stage_missing');
    expect(result.reason).toContain('s-deleted');
  });

  it('uses an override where the plan has no match', () => {
    const plan = PLAN.filter((candidate) => candidate.title !== 'Reached Out');
    expect(targetStage('request_intro', plan, {}).ok).toBe(false);
    const result = targetStage('request_intro', plan, { request_intro: 's-replied' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.stage.id).toBe('s-replied');
  });
});

describe('decideMove', () => {
  it('moves forward', () => {
    expect(decideMove('request_intro', at('s-new', 'Lead'), target('s-reached'))).toEqual({
      kind: 'move',
      to: target('s-reached'),
    });
    expect(decideMove('complete_intro', at('s-replied', 'Lead'), target('s-screen')).kind).toBe(
      'move',
    );
    expect(decideMove('hire', at('s-offer', 'Active'), target('s-hired')).kind).toBe('move');
  });

  it('skips a move to the same stage', () => {
    const decision = decideMove('request_intro', at('s-reached', 'Lead'), target('s-reached'));
    expect(decision).toEqual({ kind: 'unchanged', reason: 'already at Reached Out' });
  });

  it('skips a backward move with the reason', () => {
    const decision = decideMove('request_intro', at('s-onsite', 'Active'), target('s-reached'));
    expect(decision.kind).toBe('unchanged');
    if (decision.kind === 'unchanged')
      expect(decision.reason).toContain('already past Reached Out');
  });

  it('ranks by stage type before order', () => {
    // A Lead stage placed late in the plan still ranks below an Active stage.
    const lateLead = stage('late', 'Late Lead', 'Lead', 99);
    const decision = decideMove('shortlist', at('s-screen', 'Active'), lateLead);
    expect(decision.kind).toBe('unchanged');
  });

  it('never revives an archived application', () => {
    for (const event of ['shortlist', 'request_intro', 'complete_intro', 'hire'] as const) {
      const decision = decideMove(event, at('s-archived', 'Archived'), target('s-hired'));
      expect(decision.kind).toBe('review');
      if (decision.kind === 'review') expect(decision.code).toBe('archived_in_ashby');
    }
  });

  it('never archives a hired application', () => {
    const decision = decideMove('archive', at('s-hired', 'Hired'), target('s-archived'));
    expect(decision.kind).toBe('unchanged');
    if (decision.kind === 'unchanged') expect(decision.reason).toContain('never archived');
  });

  it('archives an active application', () => {
    expect(decideMove('archive', at('s-onsite', 'Active'), target('s-archived')).kind).toBe('move');
  });

  it('leaves an archived application archived', () => {
    const decision = decideMove('archive', at('s-archived', 'Archived'), target('s-archived'));
    expect(decision).toEqual({ kind: 'unchanged', reason: 'already archived in Ashby' });
  });
});
