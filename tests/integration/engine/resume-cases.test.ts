import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPLOAD_ENDPOINT } from '../../../core/sandbox/index.js';
import {
  addFault,
  createHarness,
  enqueue,
  insertCandidate,
  insertRole,
  jobByTitle,
  outboxItem,
  snapshot,
  type Harness,
  type TenantHandle,
} from './harness.js';

let harness: Harness;
let tenant: TenantHandle;
let roleId: number;

beforeEach(async () => {
  harness = await createHarness();
  tenant = await harness.tenant();
  const job = await jobByTitle(tenant.ashby);
  roleId = insertRole(harness.db, tenant.clientId, job.id);
});

afterEach(async () => {
  await harness.close();
});

function pdf(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'));
  return bytes;
}

function steps(outboxId: number): { step: string; outcome: string }[] {
  return harness.db
    .prepare('SELECT step, outcome FROM outbox_steps WHERE outbox_id = ? ORDER BY id')
    .all(outboxId) as {
    step: string;
    outcome: string;
  }[];
}

describe('resume cases against the sandbox', () => {
  it('uploads a 6 MB resume', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Big File',
      email: 'big.file@example.com',
      resume: {
        fileName: 'resume.pdf',
        content: pdf(6 * 1024 * 1024),
        contentType: 'application/pdf',
      },
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
    expect(state.candidates[0]?.resumeFileHandle?.name).toBe('resume.pdf');
  });

  it.each([
    ['an empty resume', 'resume.pdf', new Uint8Array(0), 'empty (0 bytes)'],
    [
      'a file that is not a resume',
      'portrait.png',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'not a PDF, DOC, DOCX, RTF or TXT',
    ],
  ])('parks %s and retries it alone', async (_label, fileName, content, expected) => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Bad File',
      email: 'bad.file@example.com',
      resume: { fileName, content },
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });
    const engine = harness.engine();

    await engine.runUntilIdle();

    const parked = outboxItem(harness.db, outboxId);
    expect(parked.status).toBe('needs_attention');
    expect(parked.reason_code).toBe('resume_failed');
    expect(parked.reason).toContain(expected);
    let state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications).toHaveLength(1);
    expect(steps(outboxId)).toContainEqual({ step: 'resume_uploaded', outcome: 'failed' });

    // The admin replaces the file; the retry uploads the resume and nothing else.
    const fixed = pdf(2048);
    const sha = createHash('sha256').update(fixed).digest('hex');
    writeFileSync(path.join(harness.dataDir, 'resumes', sha), fixed);
    harness.db
      .prepare(
        "UPDATE candidates SET resume_sha256 = ?, resume_file_name = 'resume.pdf', resume_size = ?, resume_content_type = 'application/pdf' WHERE id = ?",
      )
      .run(sha, fixed.byteLength, candidateId);
    expect(engine.retryItem(outboxId)).toBe(true);
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(1);
    expect(state.applications).toHaveLength(1);
    expect(state.candidates[0]?.resumeFileHandle?.name).toBe('resume.pdf');
    const created = steps(outboxId).filter((step) => step.step === 'candidate_created');
    expect(created).toHaveLength(1);
  });

  it('retries a failed upload without a second candidate', async () => {
    // More upload failures than the client's own handle retries, so the engine retries the step.
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: UPLOAD_ENDPOINT,
      kind: 'http_500',
      times: 3,
    });
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Flaky Upload',
      email: 'flaky.upload@example.com',
      resume: { fileName: 'cv.pdf', content: pdf(4096), contentType: 'application/pdf' },
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
    expect(state.candidates[0]?.resumeFileHandle?.name).toBe('cv.pdf');
    expect(steps(outboxId).filter((step) => step.step === 'candidate_created')).toHaveLength(1);
    const calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.create']).toBe(1);
    expect(calls[UPLOAD_ENDPOINT]).toBe(4);
    expect(calls['file.createFileUploadHandle']).toBeGreaterThan(1);
    expect(calls['candidate.uploadResume']).toBe(1);
  });

  it('keeps a non-ASCII file name', async () => {
    const fileName = 'Zoë_Ångström_CV_履歴書.pdf';
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Zoë Ångström',
      email: 'zoe.angstrom@example.com',
      resume: { fileName, content: pdf(1024), contentType: 'application/pdf' },
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
    expect(state.candidates[0]?.name).toBe('Zoë Ångström');
    expect(state.candidates[0]?.resumeFileHandle?.name).toBe(fileName);
  });

  it('verifies an upload whose response was lost', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Lost Upload',
      email: 'lost.upload@example.com',
      resume: { fileName: 'resume.pdf', content: pdf(2048), contentType: 'application/pdf' },
    });
    const outboxId = enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId,
      event: 'request_intro',
    });
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: 'candidate.uploadResume',
      kind: 'commit_then_drop',
      times: 1,
    });

    await harness.engine({ backoffBaseMs: 10 }).runUntilIdle();

    expect(outboxItem(harness.db, outboxId).status).toBe('done');
    const calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.uploadResume']).toBe(1);
    expect(calls['candidate.info']).toBe(1);
    const state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates[0]?.resumeFileHandle?.name).toBe('resume.pdf');
    const audited = harness.db
      .prepare("SELECT message FROM audit_log WHERE outbox_id = ? AND action = 'resume_uploaded'")
      .all(outboxId) as { message: string }[];
    expect(audited.map((entry) => entry.message)).toEqual([
      'uploaded resume "resume.pdf" (2048 bytes, confirmed after the response was lost)',
    ]);
  });
});
