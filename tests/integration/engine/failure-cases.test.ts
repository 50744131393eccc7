import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
let roleId: number;

beforeEach(async () => {
  harness = await createHarness();
  tenant = await harness.tenant();
  job = await jobByTitle(tenant.ashby);
  roleId = insertRole(harness.db, tenant.clientId, job.id);
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

describe('failure cases against the sandbox', () => {
  it.each([
    ['HTTP 500', 'http_500', 6],
    ['a timeout', 'timeout', 5],
  ])('retries a lookup that failed with %s', async (_label, kind, times) => {
    const existing = await tenant.ashby.candidate.create({
      name: 'Jane Roe',
      email: 'jane.roe@example.com',
    });
    // More failures than the Ashby client retries on its own, so the engine must retry the item.
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: 'candidate.search',
      kind,
      times,
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Jane Roe',
      email: 'jane.roe@example.com',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });

    await harness.engine().runUntilIdle({ timeoutMs: 20_000 });

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications[0]?.candidate.id).toBe(existing.results.id);
    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    expect(harness.sandbox.callCounts(tenant.name).byEndpoint['candidate.create']).toBe(1);
    const retries = harness.db
      .prepare(
        "SELECT COUNT(*) AS count FROM outbox_attempts WHERE outbox_id = ? AND outcome = 'retry'",
      )
      .get(outboxId) as {
      count: number;
    };
    expect(retries.count).toBeGreaterThan(0);
  });

  it('asks for an archive reason', async () => {
    setClientOptions(harness.db, tenant.clientId, { archiveReasonId: null });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Ann Archive',
      email: 'ann@example.com',
      state: 'archived',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'archive',
    });

    await harness.engine().runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason_code).toBe('archive_reason_missing');
    expect(item.reason).toContain(`choose an archive reason for ${tenant.name}`);
  });

  it('names a plan without a Hired stage', async () => {
    await deleteStage(stageId(job, 'Hired'));
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Hal Hire',
      email: 'hal@example.com',
      state: 'hired',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'hire',
    });
    const engine = harness.engine();

    await engine.runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason).toContain('no Hired stage');
    expect(
      engine.stageMapping(roleId).events.find((entry) => entry.event === 'hire')?.stage,
    ).toBeNull();
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(0);
  });

  it('reports Ashby rejecting a move', async () => {
    const existing = await tenant.ashby.candidate.create({
      name: 'Rita Reject',
      email: 'rita@example.com',
    });
    const application = await tenant.ashby.application.create({
      candidateId: existing.results.id,
      jobId: job.id,
      interviewStageId: stageId(job, 'Offer'),
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Rita Reject',
      email: 'rita@example.com',
      state: 'hired',
    });
    // The lookup is slowed down so the Hired stage disappears after the engine read the plan and
    // before it sends the move: Ashby then rejects application.changeStage.
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: 'candidate.search',
      kind: 'latency',
      ms: 300,
      times: 1,
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'hire',
    });
    const engine = harness.engine();
    await engine.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await deleteStage(stageId(job, 'Hired'));
    await engine.runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason).toContain('application.changeStage');
    expect(item.reason).toContain('interview_stage_not_found');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(
      state.applications.find((entry) => entry.id === application.results.id)?.currentInterviewStage
        .title,
    ).toBe('Offer');
  });

  it('parks a push whose mapped stage was deleted', async () => {
    const engine = harness.engine();
    engine.setStageOverride(roleId, 'complete_intro', stageId(job, 'Phone Screen'));
    await deleteStage(stageId(job, 'Phone Screen'));
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Drift Case',
      email: 'drift@example.com',
      state: 'intro_completed',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'complete_intro',
    });

    await engine.runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason).toContain('no longer in the job');
    const role = harness.db.prepare('SELECT link_status FROM roles WHERE id = ?').get(roleId) as {
      link_status: string;
    };
    expect(role.link_status).toBe('needs_attention');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications).toHaveLength(0);

    // Choosing another stage re-queues the parked push.
    engine.setStageOverride(roleId, 'complete_intro', stageId(job, 'Onsite'));
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const after = await snapshot(harness.sandbox, tenant.name);
    expect(after.applications[0]?.currentInterviewStage.title).toBe('Onsite');
  });

  it('parks a push to a closed job', async () => {
    harness.sandbox.setJobStatus(tenant.name, job.id, 'Closed');
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Closed Job',
      email: 'closed@example.com',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });

    await harness.engine().runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('needs_attention');
    expect(item.reason_code).toBe('job_closed');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(0);
  });

  it('delivers Hire for a candidate hired yesterday', async () => {
    const active = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Active One',
      email: 'active.one@example.com',
      state: 'intro_completed',
    });
    const hired = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Hired One',
      email: 'hired.one@example.com',
      state: 'hired',
    });
    const engine = harness.engine();

    const plan = engine.planBulkPush(roleId);
    expect(plan.total).toBe(2);
    expect(plan.byEvent).toEqual({ complete_intro: 1, hire: 1 });
    await engine.startBulkPush(roleId);
    await engine.runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    const stageOf = (candidateId: number): string | undefined => {
      const row = harness.db
        .prepare('SELECT ashby_application_id FROM candidates WHERE id = ?')
        .get(candidateId) as { ashby_application_id: string };
      return state.applications.find((entry) => entry.id === row.ashby_application_id)
        ?.currentInterviewStage.title;
    };
    expect(stageOf(active)).toBe('Application Review');
    expect(stageOf(hired)).toBe('Hired');
  });

  it('completes a bulk push with 3 failures and retries only those', async () => {
    const bad = new Set([7, 19, 42]);
    const ids: number[] = [];
    for (let row = 1; row <= 100; row += 1) {
      ids.push(
        insertCandidate(harness, tenant.clientId, roleId, {
          name: `Person ${row}`,
          email: bad.has(row) ? 'not-an-email' : `person.${row}@example.com`,
        }),
      );
    }
    const engine = harness.engine();
    const plan = engine.planBulkPush(roleId);
    expect(plan.total).toBe(100);

    const runId = await engine.startBulkPush(roleId);
    await engine.runUntilIdle({ timeoutMs: 60_000 });

    const run = engine.getRun(runId);
    expect(run?.status).toBe('completed_with_failures');
    expect(run?.message).toBe('completed with 3 failures');
    expect(run?.failed).toBe(3);
    expect(run?.done).toBe(97);
    const failed = harness.db
      .prepare(
        "SELECT candidate_id, reason FROM outbox WHERE run_id = ? AND status = 'needs_attention' ORDER BY candidate_id",
      )
      .all(runId) as { candidate_id: number; reason: string }[];
    expect(failed.map((row) => row.candidate_id)).toEqual([ids[6], ids[18], ids[41]]);
    for (const row of failed) expect(row.reason).toContain('email "not-an-email" has no @');
    let state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(97);

    // Fix the three emails; "retry failed" sends only those.
    for (const index of [6, 18, 41]) {
      harness.db
        .prepare('UPDATE candidates SET email = ? WHERE id = ?')
        .run(`fixed.${index}@example.com`, ids[index]);
    }
    harness.sandbox.resetCallCounts(tenant.name);
    expect(engine.retryFailed(runId)).toBe(3);
    await engine.runUntilIdle();

    expect(engine.getRun(runId)?.status).toBe('completed');
    state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(100);
    expect(state.applications).toHaveLength(100);
    expect(harness.sandbox.callCounts(tenant.name).byEndpoint['candidate.create']).toBe(3);
  });
});
