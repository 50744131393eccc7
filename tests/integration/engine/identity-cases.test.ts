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
  tenant = await harness.tenant();
  job = await jobByTitle(tenant.ashby);
  roleId = insertRole(harness.db, tenant.clientId, job.id);
});

afterEach(async () => {
  await harness.close();
});

async function existingJane(
  options: { email?: string; linkedInUrl?: string; stage?: string } = {},
): Promise<string> {
  const params: { name: string; email?: string; linkedInUrl?: string } = { name: 'Jane Roe' };
  if (options.email !== undefined) params.email = options.email;
  if (options.linkedInUrl !== undefined) params.linkedInUrl = options.linkedInUrl;
  const created = await tenant.ashby.candidate.create(params);
  if (options.stage !== undefined) {
    await tenant.ashby.application.create({
      candidateId: created.results.id,
      jobId: job.id,
      interviewStageId: stageId(job, options.stage),
    });
  }
  return created.results.id;
}

describe('identity cases against the sandbox', () => {
  it('links a differently cased email', async () => {
    const existing = await existingJane({ email: 'jane.roe@example.com' });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Jane Roe',
      email: 'Jane.Roe@Example.COM',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.candidates[0]?.id).toBe(existing);
    expect(state.applications).toHaveLength(1);
    expect(state.applications[0]?.candidate.id).toBe(existing);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Reached Out');
  });

  it('keeps dots significant on ordinary domains', async () => {
    await existingJane({ email: 'janeroe@acme.example' });
    const otherName = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'J. Roe',
      email: 'jane.roe@acme.example',
    });
    enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId: otherName,
      event: 'request_intro',
    });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(2);
    const created = state.candidates.find((candidate) => candidate.name === 'J. Roe');
    expect(created?.emailAddresses.map((entry) => entry.value)).toEqual(['jane.roe@acme.example']);
  });

  it('sends a same-name match to review', async () => {
    await existingJane({ email: 'janeroe@acme.example' });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Jane Roe',
      email: 'jane.roe@acme.example',
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });
    const engine = harness.engine();

    await engine.runUntilIdle();

    const item = outboxItem(harness.db, outboxId);
    expect(item.status).toBe('review');
    expect(item.reason_code).toBe('possible_duplicate');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(1);

    expect(engine.reviewApprove([outboxId])).toBe(1);
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(2);
  });

  it('links by LinkedIn without email', async () => {
    const existing = await existingJane({
      linkedInUrl: 'https://www.linkedin.com/in/jane-roe-fake-01/',
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Jane Roe',
      linkedin: 'https://linkedin.com/in/jane-roe-fake-01',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications[0]?.candidate.id).toBe(existing);
  });

  it('ignores scheme, host case, query and slug case', async () => {
    const existing = await existingJane({
      linkedInUrl: 'https://www.linkedin.com/in/jane-roe-fake-01',
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Jane Roe',
      linkedin: 'http://WWW.LinkedIn.com/in/Jane-Roe-Fake-01?trk=public_profile',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications[0]?.candidate.id).toBe(existing);
  });

  it('sends a bare in/ slug in canonical form', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Jane Roe',
      linkedin: 'in/jane-roe-fake-01',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    const links = state.candidates[0]?.socialLinks.map((link) => link.url) ?? [];
    expect(links).toEqual(['https://www.linkedin.com/in/jane-roe-fake-01']);
    expect(links.join(' ')).not.toContain('/in/in/');
  });

  it('creates one candidate for two rows of one person', async () => {
    const first = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Alex Doe',
      email: 'a@example.com',
      state: 'intro_requested',
    });
    const second = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Alex Doe',
      email: 'A@example.com',
      state: 'intro_requested',
    });
    const engine = harness.engine();

    const runId = await engine.startBulkPush(roleId);
    await engine.runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications).toHaveLength(1);
    expect(engine.getRun(runId)?.status).toBe('completed');
    const rows = harness.db
      .prepare('SELECT ashby_candidate_id FROM candidates WHERE id IN (?, ?)')
      .all(first, second) as { ashby_candidate_id: string }[];
    expect(rows.map((row) => row.ashby_candidate_id)).toEqual([
      state.candidates[0]?.id,
      state.candidates[0]?.id,
    ]);
  });

  it('reuses an Active application and moves nothing', async () => {
    const existing = await existingJane({ email: 'jane.roe@example.com', stage: 'Phone Screen' });
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

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications).toHaveLength(1);
    expect(state.applications[0]?.candidate.id).toBe(existing);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Phone Screen');
    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    expect(auditMessages(harness.db, candidateId).join('\n')).toContain(
      'skipped: already past Reached Out',
    );
  });

  it('skips a delayed earlier event', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Sam Lee',
      email: 'sam.lee@example.com',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'complete_intro' });
    const late = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });

    await harness.engine().runUntilIdle();

    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.applications).toHaveLength(1);
    expect(state.applications[0]?.currentInterviewStage.title).toBe('Application Review');
    expect(outboxItem(harness.db, late).reason_code).toBe('unchanged');
    expect(auditMessages(harness.db, candidateId).join('\n')).toContain(
      'skipped: already past Reached Out',
    );
  });
});
