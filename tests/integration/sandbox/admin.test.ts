import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { adminGet, adminPost, callAshby, manualClock, type Json } from './http.js';

const TENANT = 'Globex Logistics';

describe('sandbox admin routes', () => {
  let sandbox: Sandbox;
  let apiKey: string;
  const clock = manualClock();

  async function ok(endpoint: string, body: Json, key = apiKey): Promise<Json> {
    const reply = await callAshby(sandbox.url, key, endpoint, body);
    expect(reply.body['success'], JSON.stringify(reply.body)).toBe(true);
    return (reply.body as Json)['results'];
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo', clock });
    apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)!.apiKey;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('returns state in Ashby shapes', async () => {
    const reply = await adminGet(sandbox.url, `state?tenant=${encodeURIComponent(TENANT)}`);
    expect(reply.status).toBe(200);
    const state = reply.body as Json;
    for (const key of ['candidates', 'applications', 'jobs', 'interviewStages', 'sources', 'archiveReasons']) {
      expect(Array.isArray(state[key]), key).toBe(true);
    }
    const names = state['candidates'].map((candidate: Json) => candidate['name']);
    expect(names).toEqual(expect.arrayContaining(['Sven Larsen', 'Ana Souza']));
    expect(state['jobs'].map((job: Json) => job['title'])).toEqual(['Warehouse Operations Manager', 'Site Reliability Engineer']);
    expect(state['applications'][0]).toHaveProperty('applicationHistory');
    expect(state['interviewStages'][0]).toHaveProperty('interviewPlanId');
  });

  it('returns 404 for an unknown tenant', async () => {
    const reply = await adminGet(sandbox.url, 'state?tenant=Nobody');
    expect(reply.status).toBe(404);
  });

  it('creates tenants from each seed', async () => {
    const empty = await adminPost(sandbox.url, 'tenants', { name: 'Empty Co', seed: 'empty' });
    expect(empty.status).toBe(200);
    expect(empty.body['name']).toBe('Empty Co');
    const emptyKey = empty.body['apiKey'] as string;
    expect(await ok('candidate.list', {}, emptyKey)).toEqual([]);
    expect((await ok('job.list', {}, emptyKey)).length).toBeGreaterThan(0);

    const demoLike = await adminPost(sandbox.url, 'tenants', { name: 'Demo Like Co', seed: 'demo-like' });
    expect((await ok('candidate.list', {}, demoLike.body['apiKey'] as string)).length).toBeGreaterThanOrEqual(15);

    const duplicate = await adminPost(sandbox.url, 'tenants', { name: 'Empty Co', seed: 'empty' });
    expect(duplicate.status).toBe(409);
    const unknownSeed = await adminPost(sandbox.url, 'tenants', { name: 'Other Co', seed: 'huge' });
    expect(unknownSeed.status).toBe(400);
  });

  it('generates a large tenant quickly', async () => {
    const started = performance.now();
    const large = await adminPost(sandbox.url, 'tenants', { name: 'Large Co', seed: 'large', candidates: 20000 });
    const elapsed = performance.now() - started;
    expect(large.status).toBe(200);
    expect(elapsed).toBeLessThan(5000);
    const state = await adminGet(sandbox.url, 'state?tenant=Large%20Co');
    expect((state.body as Json)['candidates']).toHaveLength(20000);
  });

  it('creates extra keys', async () => {
    const created = await adminPost(sandbox.url, 'keys', { tenant: TENANT, permissions: ['jobsRead'] });
    expect(created.status).toBe(200);
    const key = created.body['apiKey'] as string;
    expect((await callAshby(sandbox.url, key, 'job.list')).status).toBe(200);
    expect((await callAshby(sandbox.url, key, 'candidate.list')).status).toBe(403);
  });

  it('merges candidates', async () => {
    const jobs = await ok('job.list', {});
    const from = await ok('candidate.create', { name: 'Ana Souza', email: 'ana.souza+dup@example.com' });
    await ok('application.create', { candidateId: from['id'], jobId: jobs[0]['id'] });
    const into = (await ok('candidate.search', { email: 'ana.souza@example.com' }))[0];

    const merge = await adminPost(sandbox.url, 'candidates/merge', { tenant: TENANT, from: from['id'], into: into['id'] });
    expect(merge.status).toBe(200);

    const missing = await callAshby(sandbox.url, apiKey, 'candidate.info', { id: from['id'] });
    expect((missing.body as Json)['errorInfo']['code']).toBe('candidate_not_found');
    const merged = await ok('candidate.info', { id: into['id'] });
    expect(merged['applicationIds']).toHaveLength(1);
    expect(merged['emailAddresses'].map((email: Json) => email['value'])).toEqual(['ana.souza@example.com', 'ana.souza+dup@example.com']);
    const application = await ok('application.info', { applicationId: merged['applicationIds'][0] });
    expect(application['candidate']['id']).toBe(into['id']);
    const bySecondEmail = await ok('candidate.search', { email: 'ana.souza+dup@example.com' });
    expect(bySecondEmail.map((candidate: Json) => candidate['id'])).toEqual([into['id']]);
  });

  it('deletes a stage', async () => {
    const jobs = await ok('job.list', {});
    const planId = jobs[0]['defaultInterviewPlanId'];
    const stages = await ok('interviewStage.list', { interviewPlanId: planId });
    const onsite = stages.find((stage: Json) => stage['title'] === 'Onsite');
    const deleted = await adminPost(sandbox.url, 'stages/delete', { tenant: TENANT, interviewStageId: onsite['id'] });
    expect(deleted.status).toBe(200);
    const after = await ok('interviewStage.list', { interviewPlanId: planId });
    expect(after.map((stage: Json) => stage['title'])).not.toContain('Onsite');

    const candidate = await ok('candidate.create', { name: 'Onsite Hopeful' });
    const application = await ok('application.create', { candidateId: candidate['id'], jobId: jobs[0]['id'] });
    const moved = await callAshby(sandbox.url, apiKey, 'application.changeStage', { applicationId: application['id'], interviewStageId: onsite['id'] });
    expect((moved.body as Json)['errorInfo']['code']).toBe('interview_stage_not_found');

    const lead = stages.find((stage: Json) => stage['title'] === 'Reached Out');
    const refused = await adminPost(sandbox.url, 'stages/delete', { tenant: TENANT, interviewStageId: lead['id'] });
    expect(refused.status).toBe(409);
  });

  it('changes job status', async () => {
    const jobs = await ok('job.list', {});
    const job = jobs[1];
    const closed = await adminPost(sandbox.url, 'jobs/status', { tenant: TENANT, jobId: job['id'], status: 'Closed' });
    expect(closed.status).toBe(200);
    const info = await ok('job.info', { id: job['id'] });
    expect(info['status']).toBe('Closed');
    expect(info['closedAt']).toEqual(expect.any(String));
    const invalid = await adminPost(sandbox.url, 'jobs/status', { tenant: TENANT, jobId: job['id'], status: 'Paused' });
    expect(invalid.status).toBe(400);
    await adminPost(sandbox.url, 'jobs/status', { tenant: TENANT, jobId: job['id'], status: 'Open' });
  });

  it('advances the clock', async () => {
    const before = sandbox.now();
    const reply = await adminPost(sandbox.url, 'clock', { advanceMs: 60_000 });
    expect(reply.status).toBe(200);
    expect(Date.parse(reply.body['now'] as string)).toBe(before + 60_000);
    const created = await ok('candidate.create', { name: 'Time Traveller' });
    expect(created['createdAt']).toBe(new Date(before + 60_000).toISOString());
    expect((await adminPost(sandbox.url, 'clock', { advanceMs: -5 })).status).toBe(400);
  });

  it('counts calls per tenant and endpoint', async () => {
    const org = sandbox.addTenant({ name: 'Counted Co', seed: 'empty' });
    await callAshby(sandbox.url, org.apiKey, 'job.list');
    await callAshby(sandbox.url, org.apiKey, 'job.list');
    await callAshby(sandbox.url, org.apiKey, 'candidate.create', { name: 'Counted Person' });
    const counts = await adminGet(sandbox.url, 'calls?tenant=Counted%20Co');
    expect(counts.body).toEqual({ total: 3, byEndpoint: { 'job.list': 2, 'candidate.create': 1 } });
    await adminPost(sandbox.url, 'calls/reset', { tenant: 'Counted Co' });
    expect(sandbox.callCounts('Counted Co')).toEqual({ total: 0, byEndpoint: {} });
  });

  it('returns 404 for an unknown admin route', async () => {
    expect((await adminPost(sandbox.url, 'explode', {})).status).toBe(404);
  });

  it('sends a request id on admin responses', async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/tenants`);
    expect(response.headers.get('x-ashby-request-id')).toMatch(/^[0-9A-Z]{26}$/);
  });
});
