// A role's stage mapping is stored when the role is linked (or on the first push of a role linked
// earlier). A stage deleted in Ashby afterwards parks the push until an admin chooses a stage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../core/engine/engine.js';
import {
  createHarness,
  enqueue,
  insertCandidate,
  insertRole,
  jobByTitle,
  outboxItem,
  snapshot,
  stageId,
  type Harness,
  type TenantHandle,
} from './harness.js';

let harness: Harness;
let tenant: TenantHandle;
let job: Awaited<ReturnType<typeof jobByTitle>>;

beforeEach(async () => {
  harness = await createHarness();
  tenant = await harness.tenant();
  job = await jobByTitle(tenant.ashby);
});

afterEach(async () => {
  await harness.close();
});

async function deleteStage(interviewStageId: string): Promise<void> {
  const response = await fetch(`${harness.sandbox.url}/_sandbox/stages/delete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: tenant.name, interviewStageId }),
  });
  expect(response.ok).toBe(true);
}

function storedMapping(roleId: number): Record<string, { id: string; title: string }> {
  const row = harness.db.prepare('SELECT stage_mapping FROM roles WHERE id = ?').get(roleId) as {
    stage_mapping: string;
  };
  return JSON.parse(row.stage_mapping) as Record<string, { id: string; title: string }>;
}

function roleLinkStatus(roleId: number): string {
  const row = harness.db.prepare('SELECT link_status FROM roles WHERE id = ?').get(roleId) as {
    link_status: string;
  };
  return row.link_status;
}

async function linkedRole(engine: SyncEngine, title: string): Promise<number> {
  const roleId = insertRole(harness.db, tenant.clientId, null, title);
  await engine.linkRole(roleId, job.id);
  await engine.runUntilIdle();
  return roleId;
}

function pushCompleteIntro(roleId: number, name: string, email: string): number {
  const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
    name,
    email,
    state: 'intro_completed',
  });
  return enqueue(harness, {
    clientId: tenant.clientId,
    roleId,
    candidateId,
    event: 'complete_intro',
  });
}

const DRIFT_REASON =
  'stage "Application Review" mapped for Complete intro on role "Platform Engineer" no longer exists in Ashby; choose a stage for Complete intro on the role';

describe('stage mapping drift', () => {
  it('stores the mapping when a role is linked', async () => {
    const engine = harness.engine();
    const roleId = await linkedRole(engine, 'Platform Engineer');

    const stored = storedMapping(roleId);
    expect(stored.complete_intro).toEqual({
      id: stageId(job, 'Application Review'),
      title: 'Application Review',
    });
    expect(stored.request_intro?.title).toBe('Reached Out');
    expect(stored.hire?.title).toBe('Hired');
  });

  it('parks a push whose linked stage was deleted', async () => {
    // The plan read at link time is no longer trusted, so the push reads it before any write.
    const engine = harness.engine({ planMaxAgeMs: 0 });
    const roleId = await linkedRole(engine, 'Platform Engineer');
    await deleteStage(stageId(job, 'Application Review'));
    const outboxId = pushCompleteIntro(roleId, 'Drift Case', 'drift.case@example.com');

    await engine.runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason_code).toBe('mapped_stage_missing');
    expect(item.reason).toBe(DRIFT_REASON);
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(0);
    expect(roleLinkStatus(roleId)).toBe('needs_attention');

    // The Roles screen shows the event as needing attention, so it offers the stage chooser.
    const mapping = engine.stageMapping(roleId);
    const entry = mapping.events.find((event) => event.event === 'complete_intro');
    expect(entry?.stage).toBeNull();
    expect(entry?.problem).toBe(DRIFT_REASON);
    expect(mapping.complete).toBe(false);
    expect(mapping.stages.map((stage) => stage.title)).not.toContain('Application Review');
    expect(engine.plannedEffect(outboxId).summary).toBe(DRIFT_REASON);

    // A retry without a new choice parks the push again instead of picking another stage.
    expect(engine.retryItem(outboxId)).toBe(true);
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('needs_attention');
    expect(outboxItem(harness.db, outboxId).reason_code).toBe('mapped_stage_missing');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(0);
  });

  it('rejected stage rereads trusted plan', async () => {
    const engine = harness.engine();
    const roleId = await linkedRole(engine, 'Platform Engineer');
    await deleteStage(stageId(job, 'Application Review'));
    const outboxId = pushCompleteIntro(roleId, 'Drift Case', 'drift.case@example.com');

    await engine.runUntilIdle();

    // The plan read at link time still had the stage, so the candidate was created before Ashby
    // rejected the application. The item then ran against a fresh plan and parked by name.
    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason_code).toBe('mapped_stage_missing');
    expect(item.reason).toBe(DRIFT_REASON);
    const { attempts } = harness.db
      .prepare('SELECT attempts FROM outbox WHERE id = ?')
      .get(outboxId) as { attempts: number };
    expect(attempts).toBe(1);
    const retried = harness.db
      .prepare("SELECT message FROM audit_log WHERE outbox_id = ? AND action = 'retry_scheduled'")
      .all(outboxId) as { message: string }[];
    expect(retried.map((entry) => entry.message)).toEqual([
      "Ashby reported interview_stage_not_found; the job's interview plan is read again before a retry",
    ]);
    let state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications).toHaveLength(0);

    // The admin's choice places the application on the candidate already created.
    engine.setStageOverride(roleId, 'complete_intro', stageId(job, 'Onsite'));
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(
      state.applications.map((application) => application.currentInterviewStage.title),
    ).toEqual(['Onsite']);
  });

  it('pushes to the stage an admin chooses', async () => {
    const engine = harness.engine();
    const roleId = await linkedRole(engine, 'Platform Engineer');
    await deleteStage(stageId(job, 'Application Review'));
    const outboxId = pushCompleteIntro(roleId, 'Drift Case', 'drift.case@example.com');
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('needs_attention');

    // Onsite is not the plan's new first Active stage, so the push can only land there by choice.
    const mapping = engine.setStageOverride(roleId, 'complete_intro', stageId(job, 'Onsite'));
    expect(mapping.events.find((event) => event.event === 'complete_intro')?.stage?.title).toBe(
      'Onsite',
    );
    expect(mapping.complete).toBe(true);
    expect(outboxItem(harness.db, outboxId).status).toBe('pending');
    expect(storedMapping(roleId).complete_intro?.title).toBe('Onsite');
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications).toHaveLength(1);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Onsite');
    expect(roleLinkStatus(roleId)).toBe('linked');
  });

  it('pushes to the new default once confirmed', async () => {
    const engine = harness.engine();
    const roleId = await linkedRole(engine, 'Platform Engineer');
    await deleteStage(stageId(job, 'Application Review'));
    const outboxId = pushCompleteIntro(roleId, 'Drift Case', 'drift.case@example.com');
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('needs_attention');

    // Clearing the choice confirms the plan's default, now Phone Screen.
    engine.setStageOverride(roleId, 'complete_intro', null);
    expect(storedMapping(roleId).complete_intro?.title).toBe('Phone Screen');
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Phone Screen');
  });

  it('stores the stage of a role linked earlier on first push', async () => {
    // A role linked before mappings were stored has an empty stored mapping.
    const roleId = insertRole(harness.db, tenant.clientId, job.id, 'Platform Engineer');
    expect(storedMapping(roleId)).toEqual({});
    const engine = harness.engine({ planMaxAgeMs: 0 });
    const first = pushCompleteIntro(roleId, 'First Push', 'first.push@example.com');

    await engine.runUntilIdle();

    expect(outboxItem(harness.db, first).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Application Review');
    expect(storedMapping(roleId).complete_intro).toEqual({
      id: stageId(job, 'Application Review'),
      title: 'Application Review',
    });

    await deleteStage(stageId(job, 'Application Review'));
    const second = pushCompleteIntro(roleId, 'Second Push', 'second.push@example.com');
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, second).status).toBe('needs_attention');
    expect(outboxItem(harness.db, second).reason).toBe(DRIFT_REASON);
    const after = await snapshot(harness.sandbox, tenant.name);
    expect(after.candidates.map((candidate) => candidate.name)).toEqual(['First Push']);
  });

  it('clears the mapping on unlink', async () => {
    const engine = harness.engine();
    const roleId = await linkedRole(engine, 'Platform Engineer');
    expect(storedMapping(roleId).complete_intro).toBeDefined();

    await engine.unlinkRole(roleId);

    expect(storedMapping(roleId)).toEqual({});
  });

  it('maps a new link afresh', async () => {
    const engine = harness.engine();
    const roleId = await linkedRole(engine, 'Platform Engineer');
    await deleteStage(stageId(job, 'Application Review'));

    // Linking again is an admin's choice of the job as it is now.
    await engine.linkRole(roleId, job.id);
    await engine.runUntilIdle();

    expect(storedMapping(roleId).complete_intro?.title).toBe('Phone Screen');
    const outboxId = pushCompleteIntro(roleId, 'Relinked', 'relinked@example.com');
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('done');
  });
});
