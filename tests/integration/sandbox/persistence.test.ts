// The sandbox's state file: records, keys and the clock written by one sandbox come back in the
// next one started with the same file, and a damaged file stops the start with a clear error.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { EMPTY_SEED_TENANT, SandboxStateFileError, startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { adminPost, callAshby, manualClock, type Json } from './http.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

let dir: string;
let stateFile: string;
const running: Sandbox[] = [];

async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ seed: 'empty', stateFile, ...options });
  running.push(sandbox);
  return sandbox;
}

async function stop(sandbox: Sandbox): Promise<void> {
  running.splice(running.indexOf(sandbox), 1);
  await sandbox.close();
}

async function ok(sandbox: Sandbox, apiKey: string, endpoint: string, body: Json = {}): Promise<Json> {
  const reply = await callAshby(sandbox.url, apiKey, endpoint, body);
  expect(reply.body['success'], `${endpoint}: ${reply.text}`).toBe(true);
  return (reply.body as Json)['results'];
}

// Creates a candidate with a resume and an application on the first open job.
async function pushCandidate(sandbox: Sandbox, apiKey: string, name: string, email: string): Promise<{ candidateId: string; applicationId: string }> {
  const candidate = await ok(sandbox, apiKey, 'candidate.create', { name, email });
  const handle = await ok(sandbox, apiKey, 'file.createFileUploadHandle', {
    fileUploadContext: 'CandidateResume',
    filename: 'cv.pdf',
    contentType: 'application/pdf',
    contentLength: PDF.length,
  });
  const form = new FormData();
  for (const [field, value] of Object.entries(handle['fields'] as Record<string, string>)) form.append(field, value);
  form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'cv.pdf');
  expect((await fetch(handle['url'], { method: 'POST', body: form })).status).toBe(204);
  await ok(sandbox, apiKey, 'candidate.uploadResume', { candidateId: candidate['id'], resumeHandle: handle['handle'] });

  const jobs = (await ok(sandbox, apiKey, 'job.list')) as Json[];
  const job = jobs.find((entry) => entry['status'] === 'Open')!;
  const application = await ok(sandbox, apiKey, 'application.create', { candidateId: candidate['id'], jobId: job['id'] });
  return { candidateId: candidate['id'], applicationId: application['id'] };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-state-'));
  stateFile = path.join(dir, 'sandbox.json');
});

afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sandbox state file', () => {
  it('seeds and saves when the file is missing', async () => {
    const sandbox = await start();
    expect(sandbox.restored).toBe(false);
    expect(existsSync(stateFile)).toBe(true);
    expect(readFileSync(stateFile, 'utf8')).toContain(EMPTY_SEED_TENANT);
  });

  it('restores records after a restart', async () => {
    const clock = manualClock();
    const first = await start({ clock });
    const apiKey = first.tenants[0]!.apiKey;
    const pushed = await pushCandidate(first, apiKey, 'Ines Duarte', 'ines@example.com');
    const lead = (await ok(first, apiKey, 'application.info', { applicationId: pushed.applicationId }))['currentInterviewStage'];
    const stages = (await ok(first, apiKey, 'interviewStage.list', { interviewPlanId: lead['interviewPlanId'] })) as Json[];
    const screen = stages.find((stage) => stage['type'] === 'PreInterviewScreen')!;
    await ok(first, apiKey, 'application.changeStage', { applicationId: pushed.applicationId, interviewStageId: screen['id'] });
    first.advanceClock(5 * 60 * 1000);
    const before = first.state(EMPTY_SEED_TENANT);
    const nowBefore = first.now();
    await stop(first);

    // The seed differs on purpose: the file wins over it.
    const second = await start({ clock, seed: 'demo' });
    expect(second.restored).toBe(true);
    expect(second.tenants).toEqual(first.tenants);
    expect(second.state(EMPTY_SEED_TENANT)).toEqual(before);
    expect(second.now()).toBe(nowBefore);

    const candidate = await ok(second, apiKey, 'candidate.info', { id: pushed.candidateId });
    expect(candidate['name']).toBe('Ines Duarte');
    expect(candidate['resumeFileHandle']['name']).toBe('cv.pdf');
    expect(candidate['applicationIds']).toEqual([pushed.applicationId]);
    const application = await ok(second, apiKey, 'application.info', { applicationId: pushed.applicationId });
    expect(application['currentInterviewStage']['id']).toBe(screen['id']);
  });

  it('finds restored candidates by email', async () => {
    const first = await start();
    const apiKey = first.tenants[0]!.apiKey;
    const pushed = await pushCandidate(first, apiKey, 'Ines Duarte', 'ines@example.com');
    await stop(first);

    const second = await start();
    const found = (await ok(second, apiKey, 'candidate.search', { email: 'INES@example.com' })) as Json[];
    expect(found.map((entry) => entry['id'])).toEqual([pushed.candidateId]);
  });

  it('continues creation order after a restart', async () => {
    const first = await start();
    const apiKey = first.tenants[0]!.apiKey;
    const earlier = await pushCandidate(first, apiKey, 'Ines Duarte', 'ines@example.com');
    await stop(first);

    const second = await start();
    const later = await pushCandidate(second, apiKey, 'Tomas Berg', 'tomas@example.com');
    const listed = ((await ok(second, apiKey, 'candidate.list')) as Json[]).map((entry) => entry['id']);
    expect(listed).toEqual([earlier.candidateId, later.candidateId]);
    // A second application for the same candidate and job is still rejected.
    const jobId = (await ok(second, apiKey, 'application.info', { applicationId: earlier.applicationId }))['job']['id'];
    const again = await callAshby(second.url, apiKey, 'application.create', { candidateId: earlier.candidateId, jobId });
    expect(again.body['errors']).toEqual(['application_already_exists']);
  });

  it('restores keys with permissions and revocation', async () => {
    const first = await start();
    const readOnly = first.createKey(EMPTY_SEED_TENANT, { permissions: ['candidatesRead'] });
    const revoked = first.createKey(EMPTY_SEED_TENANT);
    first.revokeKey(revoked);
    await stop(first);

    const second = await start();
    const denied = await callAshby(second.url, readOnly, 'candidate.create', { name: 'Not Allowed' });
    expect(denied.status).toBe(403);
    expect(denied.body['errors']).toEqual(['missing_endpoint_permission']);
    expect((await callAshby(second.url, readOnly, 'candidate.list')).body['success']).toBe(true);
    expect((await callAshby(second.url, revoked, 'candidate.list')).status).toBe(403);
  });

  it('restores tenants added through the admin routes', async () => {
    const first = await start();
    const added = await adminPost(first.url, 'tenants', { name: 'Initech', seed: 'demo-like' });
    expect(added.status).toBe(200);
    const candidates = first.state('Initech').candidates.length;
    await stop(first);

    const second = await start();
    expect(second.state('Initech').candidates).toHaveLength(candidates);
    const apiKey = added.body['apiKey'] as string;
    expect((await callAshby(second.url, apiKey, 'candidate.list')).body['success']).toBe(true);
  });

  it('saves a write before close', async () => {
    const sandbox = await start({ stateSaveDelayMs: 10 });
    await ok(sandbox, sandbox.tenants[0]!.apiKey, 'candidate.create', { name: 'Saved Early' });
    await vi.waitFor(() => expect(readFileSync(stateFile, 'utf8')).toContain('Saved Early'));
  });

  it('leaves no temporary file behind', async () => {
    const sandbox = await start({ stateSaveDelayMs: 10 });
    const apiKey = sandbox.tenants[0]!.apiKey;
    for (let i = 0; i < 5; i++) await ok(sandbox, apiKey, 'candidate.create', { name: `Burst ${i}` });
    await stop(sandbox);
    expect(readdirSync(dir)).toEqual(['sandbox.json']);
  });

  it('rejects a file that is not JSON', async () => {
    writeFileSync(stateFile, '{"version": 1, "tenants": [');
    const error = await startSandbox({ stateFile }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SandboxStateFileError);
    expect((error as Error).message).toContain('is not valid JSON');
    expect(readFileSync(stateFile, 'utf8')).toBe('{"version": 1, "tenants": [');
  });

  it('rejects another format version', async () => {
    const sandbox = await start();
    await stop(sandbox);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Json;
    writeFileSync(stateFile, JSON.stringify({ ...saved, version: 2 }));
    const error = await startSandbox({ stateFile }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SandboxStateFileError);
    expect((error as Error).message).toContain('format version 1');
  });

  it('rejects a key of a missing tenant', async () => {
    const sandbox = await start();
    await stop(sandbox);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Json;
    saved['keys'][0]['tenantId'] = 'no-such-tenant';
    writeFileSync(stateFile, JSON.stringify(saved));
    const error = await startSandbox({ stateFile }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SandboxStateFileError);
    expect((error as Error).message).toContain('no-such-tenant');
  });
});
