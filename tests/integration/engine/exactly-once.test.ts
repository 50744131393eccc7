import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addFault,
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

describe('exactly-once delivery', () => {
  it.each(['candidate.create', 'application.create'])(
    'verifies a dropped %s before repeating it',
    async (endpoint) => {
      await addFault(harness.sandbox, {
        tenant: tenant.name,
        endpoint,
        kind: 'commit_then_drop',
        times: 1,
      });
      const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
        name: 'Drop Case',
        email: 'drop.case@example.com',
      });
      const outboxId = enqueue(harness, {
        clientId: tenant.clientId,
        roleId,
        candidateId,
        event: 'request_intro',
      });

      await harness.engine().runUntilIdle();

      expect(outboxItem(harness.db, outboxId).status).toBe('done');
      const state = await snapshot(harness.sandbox, tenant.name);
      expect(state.candidates).toHaveLength(1);
      expect(state.applications).toHaveLength(1);
      expect(state.applications[0]?.currentInterviewStage.title).toBe('Reached Out');
      expect(harness.sandbox.callCounts(tenant.name).byEndpoint[endpoint]).toBe(1);
    },
  );

  it('verifies a dropped move and does not repeat it blindly', async () => {
    const existing = await tenant.ashby.candidate.create({
      name: 'Move Case',
      email: 'move.case@example.com',
    });
    await tenant.ashby.application.create({
      candidateId: existing.results.id,
      jobId: job.id,
      interviewStageId: stageId(job, 'New Lead'),
    });
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: 'application.changeStage',
      kind: 'commit_then_drop',
      times: 1,
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Move Case',
      email: 'move.case@example.com',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });

    await harness.engine().runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications).toHaveLength(1);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Reached Out');
    expect(harness.sandbox.callCounts(tenant.name).byEndpoint['application.changeStage']).toBe(1);
  });

  it('verifies a create another row already used', async () => {
    // Row A's candidate.create takes effect but its response is lost. Before A retries, row B
    // (the same person) links to that candidate and creates the application. A must then find
    // the application instead of creating a second one.
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: 'candidate.create',
      kind: 'commit_then_drop',
      times: 1,
    });
    const rowA = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Two Rows',
      email: 'two.rows@example.com',
    });
    const rowB = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Two Rows',
      email: 'Two.Rows@example.com',
    });
    const first = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId: rowA,
      event: 'request_intro',
    });
    const second = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId: rowB,
      event: 'request_intro',
    });

    await harness.engine({ batchSize: 1, backoffBaseMs: 300 }).runUntilIdle();

    expect(outboxItem(harness.db, first).status).toBe('done');
    expect(outboxItem(harness.db, second).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications).toHaveLength(1);
    expect(harness.sandbox.callCounts(tenant.name).byEndpoint['application.create']).toBe(1);
  });

  it('resumes after a crash between a create and its record', async () => {
    // A previous engine sent candidate.create and died before saving the response.
    const created = await tenant.ashby.candidate.create({
      name: 'Crash Case',
      email: 'crash.case@example.com',
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Crash Case',
      email: 'crash.case@example.com',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });
    harness.db
      .prepare(
        "UPDATE outbox SET status = 'running', lease_owner = 'dead-engine', progress = ? WHERE id = ?",
      )
      .run(JSON.stringify({ pendingWrite: 'candidate.create' }), outboxId);

    await harness.engine().runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications[0]?.candidate.id).toBe(created.results.id);
  });

  it('resumes a bulk push across an engine restart', async () => {
    for (let index = 0; index < 30; index += 1) {
      insertCandidate(harness, tenant.clientId, roleId, {
        name: `Restart ${index}`,
        email: `restart.${index}@example.com`,
      });
    }
    await addFault(harness.sandbox, { tenant: tenant.name, endpoint: '*', kind: 'latency', ms: 5 });
    const first = harness.engine({ batchSize: 5 }, 'first-engine');
    const runId = await first.startBulkPush(roleId);
    await first.start();
    await new Promise<void>((resolve) => {
      first.events.on('task:progress', (progress) => {
        if (progress.runId === runId && progress.done >= 6) resolve();
      });
    });
    await first.stop();
    const stopped = first.getRun(runId);
    expect(stopped?.status).toBe('running');
    expect(stopped?.done).toBeLessThan(30);

    const second = harness.engine({ batchSize: 5 }, 'second-engine');
    await second.runUntilIdle({ timeoutMs: 30_000 });

    expect(second.getRun(runId)?.status).toBe('completed');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(30);
    expect(state.applications).toHaveLength(30);
    expect(new Set(state.candidates.map((candidate) => candidate.name)).size).toBe(30);
  });

  it('lets one engine process a data folder at a time', async () => {
    const owner = harness.engine({}, 'owner-engine');
    const other = harness.engine({}, 'other-engine');
    await owner.start();
    await other.start();

    expect(owner.processing).toBe(true);
    expect(other.processing).toBe(false);

    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Lock Case',
      email: 'lock.case@example.com',
    });
    const outboxId = other.manualPush(candidateId);
    await owner.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('done');

    // Once the owner stops and releases the lock, the waiting engine takes over.
    await owner.stop();
    const deadline = Date.now() + 5_000;
    while (!other.processing && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.processing).toBe(true);
  });
});
