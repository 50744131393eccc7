import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditMessages,
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
  tenant = await harness.tenant('Stage Client');
  job = await jobByTitle(tenant.ashby);
  roleId = insertRole(harness.db, tenant.clientId, job.id);
});

afterEach(async () => {
  await harness.close();
});

async function existingAt(
  name: string,
  email: string,
  stage: string,
): Promise<{ candidateId: string; applicationId: string }> {
  const candidate = await tenant.ashby.candidate.create({ name, email });
  const application = await tenant.ashby.application.create({
    candidateId: candidate.results.id,
    jobId: job.id,
    interviewStageId: stageId(job, stage),
  });
  return { candidateId: candidate.results.id, applicationId: application.results.id };
}

describe('stage moves against the sandbox', () => {
  it('archives with the client’s archive reason', async () => {
    const existing = await existingAt('Arch Ive', 'arch.ive@example.com', 'Phone Screen');
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Arch Ive',
      email: 'arch.ive@example.com',
      state: 'archived',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'archive',
    });

    await harness.engine().runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const state = await snapshot(harness.sandbox, tenant.name);
    const application = state.applications.find((entry) => entry.id === existing.applicationId);
    expect(application?.status).toBe('Archived');
    const reason = harness.db
      .prepare('SELECT archive_reason_id FROM clients WHERE id = ?')
      .get(tenant.clientId) as { archive_reason_id: string };
    expect(application?.archiveReason?.id).toBe(reason.archive_reason_id);
    expect(auditMessages(harness.db, candidateId).join('\n')).toContain('archived application');
  });

  it('never archives a hired application', async () => {
    const existing = await existingAt('Hy Red', 'hy.red@example.com', 'Hired');
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Hy Red',
      email: 'hy.red@example.com',
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
    expect(item.status).toBe('done');
    expect(item.reason_code).toBe('unchanged');
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications.find((entry) => entry.id === existing.applicationId)?.status).toBe(
      'Hired',
    );
    expect(auditMessages(harness.db, candidateId).join('\n')).toContain(
      'a hired application is never archived',
    );
  });

  it('skips archiving someone not in Ashby', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'No One',
      email: 'no.one@example.com',
      state: 'archived',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'archive',
    });

    await harness.engine().runUntilIdle();

    expect(outboxItem(harness.db, outboxId).reason_code).toBe('skipped');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(0);
  });

  it('moves forward through the states', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Step Wise',
      email: 'step.wise@example.com',
    });
    const engine = harness.engine();
    const titles: string[] = [];

    // A manual push places the candidate at the stage of the current pipeline state.
    for (const state of ['shortlisted', 'intro_requested', 'intro_completed', 'hired'] as const) {
      harness.db.prepare('UPDATE candidates SET state = ? WHERE id = ?').run(state, candidateId);
      engine.manualPush(candidateId);
      await engine.runUntilIdle();
      const snapshotNow = await snapshot(harness.sandbox, tenant.name);
      expect(snapshotNow.applications).toHaveLength(1);
      titles.push(snapshotNow.applications[0]?.currentInterviewStage.title ?? '');
    }

    expect(titles).toEqual(['New Lead', 'Reached Out', 'Application Review', 'Hired']);
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications[0]?.source?.title).toBe('Jack & Jill');
  });

  it('leaves an existing candidate’s source alone', async () => {
    const sources = await tenant.ashby.source.list({});
    const linkedIn = sources.results.find((entry) => entry.title === 'LinkedIn');
    const created = await tenant.ashby.candidate.create({
      name: 'Own Source',
      email: 'own.source@example.com',
      sourceId: linkedIn?.id ?? '',
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Own Source',
      email: 'own.source@example.com',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    const candidate = state.candidates.find((entry) => entry.id === created.results.id);
    expect(candidate?.source?.id).toBe(linkedIn?.id);
    expect(state.applications[0]?.source?.title).toBe('Jack & Jill');
  });
});
