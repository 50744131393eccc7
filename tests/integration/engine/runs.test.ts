import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../../core/engine/events.js';
import {
  addFault,
  createHarness,
  enqueue,
  insertCandidate,
  insertRole,
  jobByTitle,
  outboxItem,
  setClientOptions,
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
  tenant = await harness.tenant('Runs Client');
  job = await jobByTitle(tenant.ashby);
});

afterEach(async () => {
  await harness.close();
});

function ashbyStatus(candidateId: number): {
  ashby_status: string;
  ashby_candidate_id: string | null;
  ashby_application_id: string | null;
} {
  return harness.db
    .prepare(
      'SELECT ashby_status, ashby_candidate_id, ashby_application_id FROM candidates WHERE id = ?',
    )
    .get(candidateId) as {
    ashby_status: string;
    ashby_candidate_id: string | null;
    ashby_application_id: string | null;
  };
}

describe('link resolution and runs', () => {
  it('resolves every candidate of a linked role', async () => {
    const inAshby = await tenant.ashby.candidate.create({
      name: 'Already There',
      email: 'already@example.com',
    });
    const application = await tenant.ashby.application.create({
      candidateId: inAshby.results.id,
      jobId: job.id,
      interviewStageId: stageId(job, 'Phone Screen'),
    });
    const noApplication = await tenant.ashby.candidate.create({
      name: 'Other Job',
      linkedInUrl: 'https://linkedin.com/in/other-job',
    });
    const roleId = insertRole(harness.db, tenant.clientId, null);
    const linked = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Already There',
      email: 'ALREADY@example.com',
    });
    const elsewhere = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Other Job',
      linkedin: 'in/other-job',
    });
    const missing = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Not There',
      email: 'not.there@example.com',
    });
    const engine = harness.engine();
    const progress: TaskProgress[] = [];
    engine.events.on('task:progress', (event) => progress.push(event));

    const runId = await engine.linkRole(roleId, job.id);
    await engine.runUntilIdle();

    expect(engine.getRun(runId)?.status).toBe('completed');
    expect(progress.at(-1)).toMatchObject({
      runId,
      kind: 'link_resolution',
      status: 'completed',
      total: 3,
      done: 3,
    });
    expect(ashbyStatus(linked)).toEqual({
      ashby_status: 'linked',
      ashby_candidate_id: inAshby.results.id,
      ashby_application_id: application.results.id,
    });
    expect(ashbyStatus(elsewhere)).toEqual({
      ashby_status: 'not_in_ashby',
      ashby_candidate_id: noApplication.results.id,
      ashby_application_id: null,
    });
    expect(ashbyStatus(missing).ashby_status).toBe('not_in_ashby');
    const role = harness.db
      .prepare('SELECT link_status, ashby_job_title FROM roles WHERE id = ?')
      .get(roleId) as { link_status: string; ashby_job_title: string };
    expect(role).toEqual({ link_status: 'linked', ashby_job_title: 'Software Engineer' });

    // The bulk push skips the linked candidate and reuses the known Ashby candidate for the other.
    const plan = engine.planBulkPush(roleId);
    expect(plan.total).toBe(2);
    expect(plan.excluded).toEqual([{ reason: 'already linked to Ashby', count: 1 }]);
    await engine.startBulkPush(roleId);
    await engine.runUntilIdle();
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(3);
    expect(state.applications).toHaveLength(3);
    expect(ashbyStatus(elsewhere).ashby_candidate_id).toBe(noApplication.results.id);
  });

  it('explains what a bulk push leaves out', async () => {
    setClientOptions(harness.db, tenant.clientId, { enabledEvents: ['request_intro', 'hire'] });
    const roleId = insertRole(harness.db, tenant.clientId, job.id);
    insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Shortlisted',
      email: 's@example.com',
      state: 'shortlisted',
    });
    insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Requested',
      email: 'r@example.com',
      state: 'intro_requested',
    });
    insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Completed',
      email: 'c@example.com',
      state: 'intro_completed',
    });
    const engine = harness.engine();

    const plan = engine.planBulkPush(roleId);

    expect(plan.total).toBe(1);
    expect(plan.byEvent).toEqual({ request_intro: 1 });
    expect(plan.excluded).toEqual([
      { reason: 'Shortlist is turned off for Runs Client', count: 1 },
      { reason: 'Complete intro is turned off for Runs Client', count: 1 },
    ]);
    const unlinked = insertRole(harness.db, tenant.clientId, null);
    expect(engine.planBulkPush(unlinked).blocked).toContain('not linked');
  });

  it('leaves out an archived candidate Ashby does not hold', async () => {
    const roleId = insertRole(harness.db, tenant.clientId, job.id);
    const archived = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Never Pushed',
      email: 'never.pushed@example.com',
      state: 'archived',
    });
    const engine = harness.engine();
    expect(engine.planBulkPush(roleId).total).toBe(1);

    await engine.startBulkPush(roleId);
    await engine.runUntilIdle();

    expect(ashbyStatus(archived).ashby_status).toBe('not_in_ashby');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(0);
    const plan = engine.planBulkPush(roleId);
    expect(plan.total).toBe(0);
    expect(plan.excluded).toEqual([
      { reason: 'archived and not in Ashby, so there is nothing to archive', count: 1 },
    ]);
  });

  it('pauses, resumes and cancels a bulk push', async () => {
    const roleId = insertRole(harness.db, tenant.clientId, job.id);
    for (let index = 0; index < 20; index += 1) {
      insertCandidate(harness, tenant.clientId, roleId, {
        name: `Paused ${index}`,
        email: `paused.${index}@example.com`,
      });
    }
    await addFault(harness.sandbox, { tenant: tenant.name, endpoint: '*', kind: 'latency', ms: 5 });
    const engine = harness.engine({ batchSize: 2, perClientConcurrency: 1 });
    const runId = await engine.startBulkPush(roleId);
    const started = new Promise<void>((resolve) => {
      engine.events.on('task:progress', (event) => {
        if (event.runId === runId && event.done >= 2) resolve();
      });
    });
    await engine.start();
    await started;

    engine.pauseRun(runId);
    await engine.runUntilIdle();
    const paused = engine.getRun(runId);
    expect(paused?.status).toBe('paused');
    const pausedItems = harness.db
      .prepare("SELECT COUNT(*) AS count FROM outbox WHERE run_id = ? AND status = 'paused'")
      .get(runId) as { count: number };
    expect(pausedItems.count).toBeGreaterThan(0);
    const doneWhilePaused = paused?.done ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engine.getRun(runId)?.done).toBe(doneWhilePaused);

    engine.resumeRun(runId);
    const more = new Promise<void>((resolve) => {
      engine.events.on('task:progress', (event) => {
        if (event.runId === runId && event.done >= doneWhilePaused + 2) resolve();
      });
    });
    await more;
    engine.cancelRun(runId);
    await engine.runUntilIdle();

    const cancelled = engine.getRun(runId);
    expect(cancelled?.status).toBe('cancelled');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates.length).toBe(cancelled?.done);
    expect(state.candidates.length).toBeLessThan(20);
    const leftOver = harness.db
      .prepare(
        "SELECT COUNT(*) AS count FROM outbox WHERE run_id = ? AND status IN ('pending', 'running', 'paused')",
      )
      .get(runId) as {
      count: number;
    };
    expect(leftOver.count).toBe(0);
  });

  it('applies toggles to events but not to a manual push', async () => {
    setClientOptions(harness.db, tenant.clientId, { enabledEvents: ['hire'] });
    const roleId = insertRole(harness.db, tenant.clientId, job.id);
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Manual Push',
      email: 'manual@example.com',
      state: 'intro_completed',
    });
    const engine = harness.engine();

    const fromImport = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'complete_intro',
    });
    expect(outboxItem(harness.db, fromImport).status).toBe('discarded');
    expect(outboxItem(harness.db, fromImport).reason_code).toBe('event_disabled');

    const manual = engine.manualPush(candidateId);
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, manual).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Application Review');
    expect(state.applications[0]?.source?.title).toBe('Jack & Jill');
  });

  it('queues nothing for a role with no Ashby job', async () => {
    const roleId = insertRole(harness.db, tenant.clientId, null);
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'No Job',
      email: 'no.job@example.com',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });
    expect(outboxItem(harness.db, outboxId).status).toBe('discarded');
    expect(outboxItem(harness.db, outboxId).reason_code).toBe('role_not_linked');
  });
});
