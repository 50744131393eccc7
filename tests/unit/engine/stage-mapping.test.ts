import { describe, expect, it } from 'vitest';
import type { RoleRow } from '../../../core/engine/rows.js';
import { resolveRoleStage } from '../../../core/engine/stage-mapping.js';
import type { PlanStage } from '../../../core/engine/stages.js';

function stage(id: string, title: string, type: string, order: number): PlanStage {
  return { id, title, type, orderInInterviewPlan: order };
}

const REVIEW = stage('s-review', 'Application Review', 'PreInterviewScreen', 4);
const PHONE = stage('s-phone', 'Phone Screen', 'Active', 5);
const ONSITE = stage('s-onsite', 'Onsite', 'Active', 6);
const LEADS = [stage('s-new', 'New Lead', 'Lead', 1), stage('s-reached', 'Reached Out', 'Lead', 2)];
const PLAN = [...LEADS, REVIEW, PHONE, ONSITE];
const PLAN_WITHOUT_REVIEW = [...LEADS, PHONE, ONSITE];

function role(mapping: object, overrides: object = {}): RoleRow {
  return {
    id: 7,
    client_id: 1,
    title: 'Platform Engineer',
    ashby_job_id: 'job-1',
    ashby_job_title: 'Platform Engineer',
    link_status: 'linked',
    stage_overrides: JSON.stringify(overrides),
    stage_mapping: JSON.stringify(mapping),
  };
}

const STORED_REVIEW = { complete_intro: { id: REVIEW.id, title: REVIEW.title } };

describe('resolveRoleStage', () => {
  it('uses the stored stage', () => {
    // Onsite is stored, although the plan's default for Complete intro is Application Review.
    const target = resolveRoleStage('complete_intro', role({ complete_intro: { id: ONSITE.id, title: 'Onsite' } }), PLAN);

    expect(target).toEqual({ ok: true, stage: ONSITE, source: 'plan' });
  });

  it('reports a deleted stored stage', () => {
    const target = resolveRoleStage('complete_intro', role(STORED_REVIEW), PLAN_WITHOUT_REVIEW);

    expect(target.ok).toBe(false);
    if (target.ok) return;
    expect(target.code).toBe('mapped_stage_missing');
    expect(target.reason).toBe(
      'stage "Application Review" mapped for Complete intro on role "Platform Engineer" no longer exists in Ashby; choose a stage for Complete intro on the role',
    );
  });

  it('falls back to the default when nothing is stored', () => {
    expect(resolveRoleStage('complete_intro', role({}), PLAN_WITHOUT_REVIEW)).toEqual({
      ok: true,
      stage: PHONE,
      source: 'plan',
    });
  });

  it('lets an override win over the stored stage', () => {
    const target = resolveRoleStage('complete_intro', role(STORED_REVIEW, { complete_intro: ONSITE.id }), PLAN_WITHOUT_REVIEW);

    expect(target).toEqual({ ok: true, stage: ONSITE, source: 'override' });
  });

  it('reads an unparsable stored mapping as empty', () => {
    const broken = { ...role({}), stage_mapping: 'not json' };

    expect(resolveRoleStage('complete_intro', broken, PLAN)).toEqual({ ok: true, stage: REVIEW, source: 'plan' });
  });
});
