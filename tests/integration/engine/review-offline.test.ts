import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_CREATED_APPLICATION_NOTE } from '../../../core/engine/help.js';
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
  tenant = await harness.tenant('Review Client');
  job = await jobByTitle(tenant.ashby);
  roleId = insertRole(harness.db, tenant.clientId, job.id);
});

afterEach(async () => {
  await harness.close();
});

function auditActions(): string[] {
  return (
    harness.db.prepare('SELECT action FROM audit_log ORDER BY id').all() as { action: string }[]
  ).map((row) => row.action);
}

describe('review and offline', () => {
  it('holds pushes for review and previews them offline', async () => {
    setClientOptions(harness.db, tenant.clientId, { reviewBeforePush: true });
    const approveId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Approve Me',
      email: 'approve.me@example.com',
    });
    const discardId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Discard Me',
      email: 'discard.me@example.com',
    });
    const approve = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId: approveId,
      event: 'request_intro',
    });
    const discard = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId: discardId,
      event: 'request_intro',
    });
    const engine = harness.engine();
    // Reading the role's plan once lets the preview name the stage with no connection afterwards.
    await engine.linkRole(roleId, job.id);
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, approve).status).toBe('review');
    expect(outboxItem(harness.db, approve).reason_code).toBe('review_before_push');
    const effect = engine.plannedEffect(approve);
    expect(effect.kind).toBe('create_candidate');
    expect(effect.summary).toBe(
      'create candidate Approve Me at stage "Reached Out" on job "Software Engineer" with source Jack & Jill',
    );
    // Creating an application carries the note about Ashby automations.
    expect(effect.notes).toEqual([API_CREATED_APPLICATION_NOTE]);
    expect(API_CREATED_APPLICATION_NOTE).toContain('application submitted');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(0);

    expect(engine.reviewApprove([approve])).toBe(1);
    expect(engine.reviewDiscard([discard], 'not a fit for this client')).toBe(1);
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, approve).status).toBe('done');
    expect(outboxItem(harness.db, discard).status).toBe('discarded');
    expect(outboxItem(harness.db, discard).reason).toBe('not a fit for this client');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates.map((candidate) => candidate.name)).toEqual(['Approve Me']);
    expect(auditActions()).toContain('review_approved');
    expect(auditActions()).toContain('review_discarded');
  });

  it('never revives an application archived in Ashby', async () => {
    const existing = await tenant.ashby.candidate.create({
      name: 'Archived Person',
      email: 'archived.person@example.com',
    });
    const application = await tenant.ashby.application.create({
      candidateId: existing.results.id,
      jobId: job.id,
    });
    const reasons = await tenant.ashby.archiveReason.list({});
    await tenant.ashby.application.changeStage({
      applicationId: application.results.id,
      interviewStageId: stageId(job, 'Archived'),
      archiveReasonId: reasons.results[0]?.id ?? '',
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Archived Person',
      email: 'archived.person@example.com',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'complete_intro',
    });
    const engine = harness.engine();

    await engine.runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('review');
    expect(item.reason_code).toBe('archived_in_ashby');
    expect(engine.plannedEffect(outboxId).kind).toBe('revive_archived');
    let state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications[0]?.status).toBe('Archived');

    engine.reviewApprove([outboxId]);
    await engine.runUntilIdle();
    state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Application Review');
  });

  it('waits offline and drains when Ashby answers again', async () => {
    const engine = harness.engine();
    await engine.linkRole(roleId, job.id);
    await engine.runUntilIdle();
    await addFault(harness.sandbox, { tenant: tenant.name, endpoint: '*', kind: 'timeout' });
    const ids = [1, 2, 3].map((index) =>
      insertCandidate(harness, tenant.clientId, roleId, {
        name: `Offline ${index}`,
        email: `offline.${index}@example.com`,
      }),
    );
    const items = ids.map((candidateId) =>
      enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' }),
    );
    const statuses: string[] = [];
    engine.events.on('client:status', (event) => statuses.push(event.status));
    await engine.start();

    const deadline = Date.now() + 10_000;
    const clientStatus = (): string =>
      (
        harness.db.prepare('SELECT status FROM clients WHERE id = ?').get(tenant.clientId) as {
          status: string;
        }
      ).status;
    while (clientStatus() !== 'offline' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clientStatus()).toBe('offline');
    for (const id of items) {
      expect(['pending', 'running']).toContain(outboxItem(harness.db, id).status);
      expect(engine.plannedEffect(id).summary).toContain('create candidate');
    }

    harness.sandbox.clearFaults(tenant.name);
    await engine.runUntilIdle({ timeoutMs: 20_000 });

    expect(clientStatus()).toBe('connected');
    expect(statuses).toEqual(['offline', 'connected']);
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(3);
    expect(state.applications).toHaveLength(3);
  });
});
