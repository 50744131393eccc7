// Drives every endpoint the sandbox implements, on success and error paths, and checks each
// request against the request schema and each response against the response schema of Ashby's
// published OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { ENDPOINTS } from '../../../core/sandbox/endpoints/index.js';
import { callAshby, manualClock, type AshbyReply, type Json } from './http.js';
import { expectValid, loadAshbyOpenApi, type AshbyOpenApi } from './openapi.js';

interface ContractOptions {
  apiKey?: string;
  /** Set for requests that break the request schema on purpose (to reach an invalid_input path). */
  invalidRequest?: boolean;
  rawBody?: string | FormData;
  headers?: Record<string, string>;
  /** Body to validate against the multipart request schema, when `rawBody` is a FormData. */
  multipartFields?: Record<string, string>;
}

describe('sandbox against the OpenAPI document', () => {
  let sandbox: Sandbox;
  let openApi: AshbyOpenApi;
  let apiKey: string;
  const clock = manualClock();
  const covered = new Map<string, { success: number; error: number }>();

  function record(endpoint: string, outcome: 'success' | 'error'): void {
    const entry = covered.get(endpoint) ?? { success: 0, error: 0 };
    entry[outcome] += 1;
    covered.set(endpoint, entry);
  }

  async function contract(endpoint: string, body: unknown, options: ContractOptions = {}): Promise<AshbyReply> {
    if (options.multipartFields) {
      expectValid(openApi.validateRequest(endpoint, options.multipartFields, 'multipart/form-data'), `${endpoint} multipart request`);
    } else if (!options.invalidRequest && options.rawBody === undefined) {
      expectValid(openApi.validateRequest(endpoint, body), `${endpoint} request`);
    }
    const reply = await callAshby(sandbox.url, options.apiKey ?? apiKey, endpoint, body, {
      ...(options.rawBody !== undefined ? { rawBody: options.rawBody } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    expect(reply.headers.get('x-ashby-request-id')).toMatch(/^[0-9A-Z]{26}$/);
    if (reply.status === 200) {
      expectValid(openApi.validateResponse(endpoint, reply.body), `${endpoint} response`);
    } else {
      expectValid(openApi.validateErrorEnvelope(reply.body), `${endpoint} ${reply.status} response`);
    }
    record(endpoint, reply.body['success'] === true ? 'success' : 'error');
    return reply;
  }

  async function expectSuccess(endpoint: string, body: unknown, options: ContractOptions = {}): Promise<Json> {
    const reply = await contract(endpoint, body, options);
    expect(reply.status).toBe(200);
    expect(reply.body['success'], JSON.stringify(reply.body)).toBe(true);
    return reply.body as Json;
  }

  async function expectError(endpoint: string, body: unknown, code: string, options: ContractOptions = {}): Promise<Json> {
    const reply = await contract(endpoint, body, options);
    expect(reply.body['success']).toBe(false);
    expect((reply.body as Json)['errorInfo']['code']).toBe(code);
    expect((reply.body as Json)['errors']).toEqual([code]);
    return reply.body as Json;
  }

  let jobs: Json[];
  let backend: Json;
  let closedJob: Json;
  let backendStages: Json[];

  beforeAll(async () => {
    openApi = loadAshbyOpenApi();
    sandbox = await startSandbox({ seed: 'demo', clock });
    apiKey = sandbox.tenants.find((tenant) => tenant.name === 'Northwind Robotics')!.apiKey;
    jobs = (await expectSuccess('job.list', { status: ['Open', 'Closed', 'Draft', 'Archived'] }))['results'];
    backend = jobs.find((job) => job['title'] === 'Senior Backend Engineer')!;
    closedJob = jobs.find((job) => job['status'] === 'Closed')!;
    backendStages = (await expectSuccess('interviewStage.list', { interviewPlanId: backend['defaultInterviewPlanId'] }))['results'];
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('apiKey.info', async () => {
    const body = await expectSuccess('apiKey.info', {});
    expect(body['results']['scopes']).toContain('candidates:write');
    await expectError('apiKey.info', {}, 'invalid_input', { rawBody: 'title=x', headers: { 'content-type': 'text/plain' } });
    const noKeysRead = sandbox.createKey('Northwind Robotics', { permissions: ['candidatesRead'] });
    const reply = await contract('apiKey.info', {}, { apiKey: noKeysRead });
    expect(reply.status).toBe(403);
  });

  it('job.list and job.info', async () => {
    const page = await expectSuccess('job.list', { limit: 2 });
    expect(page['moreDataAvailable']).toBe(true);
    const next = await expectSuccess('job.list', { limit: 2, cursor: page['nextCursor'] });
    expect(next['results'].length).toBeGreaterThan(0);
    await expectError('job.list', { cursor: 'not-a-cursor' }, 'invalid_next_cursor');
    await expectError('job.list', { status: ['Paused'] }, 'invalid_input', { invalidRequest: true });

    const info = await expectSuccess('job.info', { id: backend['id'] });
    expect(info['results']['title']).toBe('Senior Backend Engineer');
    await expectError('job.info', { id: '00000000-0000-4000-8000-000000000000' }, 'job_not_found');
    await expectError('job.info', { jobId: backend['id'] }, 'invalid_input', { invalidRequest: true });
  });

  it('jobInterviewPlan.info and interviewStage.list', async () => {
    const plan = await expectSuccess('jobInterviewPlan.info', { jobId: backend['id'] });
    expect(plan['results']['stages'].map((stage: Json) => stage['type'])).toEqual([
      'Lead', 'Lead', 'Lead', 'PreInterviewScreen', 'Active', 'Active', 'Offer', 'Hired', 'Archived',
    ]);
    await expectError('jobInterviewPlan.info', { jobId: '00000000-0000-4000-8000-000000000000' }, 'job_not_found');

    expect(backendStages.map((stage) => stage['title']).slice(0, 3)).toEqual(['New Lead', 'Reached Out', 'Replied']);
    await expectError('interviewStage.list', { interviewPlanId: '00000000-0000-4000-8000-000000000000' }, 'interview_plan_not_found');
  });

  it('source.list, archiveReason.list and user.list', async () => {
    const sources = await expectSuccess('source.list', {});
    const withArchived = await expectSuccess('source.list', { includeArchived: true });
    expect(withArchived['results'].length).toBeGreaterThan(sources['results'].length);
    await expectError('source.list', { includeArchived: 'yes' }, 'invalid_input', { invalidRequest: true });

    const reasons = await expectSuccess('archiveReason.list', {});
    expect(reasons['results'].map((reason: Json) => reason['text'])).toEqual(['Not a fit', 'Withdrew', 'Hired elsewhere']);
    await expectSuccess('archiveReason.list', { includeArchived: true });
    await expectError('archiveReason.list', { includeArchived: 1 }, 'invalid_input', { invalidRequest: true });

    const users = await expectSuccess('user.list', {});
    expect(users['syncToken']).toEqual(expect.any(String));
    await expectSuccess('user.list', { syncToken: users['syncToken'] });
    await expectError('user.list', { syncToken: 'unknown-token' }, 'sync_token_invalid');
  });

  it('candidate.search, candidate.list and candidate.info', async () => {
    const found = await expectSuccess('candidate.search', { email: 'Jane.Roe@Example.COM' });
    expect(found['results']).toHaveLength(1);
    await expectSuccess('candidate.search', { name: 'Priya' });
    await expectError('candidate.search', {}, 'invalid_input');

    const first = await expectSuccess('candidate.list', { limit: 10 });
    expect(first['moreDataAvailable']).toBe(true);
    await expectSuccess('candidate.list', { limit: 10, cursor: first['nextCursor'] });
    await expectError('candidate.list', { syncToken: 'nope' }, 'sync_token_invalid');

    const jane = found['results'][0];
    const info = await expectSuccess('candidate.info', { id: jane['id'] });
    expect(info['results']['name']).toBe('Jane Roe');
    await expectError('candidate.info', { id: '00000000-0000-4000-8000-000000000000' }, 'candidate_not_found');
    await expectError('candidate.info', { candidateId: jane['id'] }, 'invalid_input', { invalidRequest: true });
  });

  it('candidate.create and candidate.update', async () => {
    const sources = (await expectSuccess('source.list', {}))['results'];
    const created = await expectSuccess('candidate.create', {
      name: 'Contract Tester',
      email: 'contract.tester@example.com',
      phoneNumber: '+15550100000',
      linkedInUrl: 'https://linkedin.com/in/contract-tester-fake',
      alternateEmailAddresses: ['ct@example.org'],
      sourceId: sources[0]['id'],
      location: { city: 'Lyon', country: 'France' },
    });
    const minimal = await expectSuccess('candidate.create', { name: 'Only A Name' });
    expect(minimal['results']).not.toHaveProperty('primaryEmailAddress');
    await expectError('candidate.create', { name: 'X', sourceId: '00000000-0000-4000-8000-000000000000' }, 'source_not_found');
    await expectError('candidate.create', { name: 'X', linkedInUrl: 'in/not-a-url' }, 'invalid_input');
    await expectError('candidate.create', { email: 'nameless@example.com' }, 'invalid_input', { invalidRequest: true });

    const id = created['results']['id'];
    const updated = await expectSuccess('candidate.update', { candidateId: id, name: 'Contract Tester Renamed', websiteUrl: 'https://example.com/ct' });
    expect(updated['results']['name']).toBe('Contract Tester Renamed');
    await expectError('candidate.update', { candidateId: '00000000-0000-4000-8000-000000000000', name: 'Y' }, 'candidate_not_found');
  });

  it('file.createFileUploadHandle and candidate.uploadResume', async () => {
    const candidate = (await expectSuccess('candidate.create', { name: 'Resume Holder' }))['results'];
    const pdf = Buffer.from('%PDF-1.4\n% sandbox contract test\n');
    const handle = await expectSuccess('file.createFileUploadHandle', {
      fileUploadContext: 'CandidateResume',
      filename: 'resume.pdf',
      contentType: 'application/pdf',
      contentLength: pdf.length,
    });
    await expectError('file.createFileUploadHandle', { fileUploadContext: 'Resume', filename: 'a', contentType: 'b', contentLength: 1 }, 'invalid_input', { invalidRequest: true });

    const form = new FormData();
    for (const [name, value] of Object.entries(handle['results']['fields'] as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'resume.pdf');
    const upload = await fetch(handle['results']['url'], { method: 'POST', body: form });
    expect(upload.status).toBe(204);

    const withResume = await expectSuccess('candidate.uploadResume', { candidateId: candidate['id'], resumeHandle: handle['results']['handle'] });
    expect(withResume['results']['resumeFileHandle']['name']).toBe('resume.pdf');
    await expectError('candidate.uploadResume', { candidateId: candidate['id'], resumeHandle: 'unknown-handle' }, 'invalid_input');

    const multipart = new FormData();
    multipart.append('candidateId', candidate['id']);
    multipart.append('resume', new Blob([pdf], { type: 'application/pdf' }), 'second.pdf');
    const viaMultipart = await expectSuccess('candidate.uploadResume', undefined, {
      rawBody: multipart,
      multipartFields: { candidateId: candidate['id'], resume: 'second.pdf' },
    });
    expect(viaMultipart['results']['fileHandles']).toHaveLength(2);
  });

  it('application.create, list and info', async () => {
    const candidate = (await expectSuccess('candidate.create', { name: 'Applicant One', email: 'applicant.one@example.com' }))['results'];
    const created = await expectSuccess('application.create', { candidateId: candidate['id'], jobId: backend['id'] });
    expect(created['results']['currentInterviewStage']['title']).toBe('New Lead');
    expect(created['results']['status']).toBe('Lead');
    expect(created['results']['applicationHistory']).toHaveLength(1);

    const second = (await expectSuccess('candidate.create', { name: 'Applicant Two' }))['results'];
    // The description allows "FirstPreInterviewScreen" although the schema types interviewStageId as a
    // UUID, so this request is left out of request validation.
    const screened = await expectSuccess(
      'application.create',
      { candidateId: second['id'], jobId: backend['id'], interviewStageId: 'FirstPreInterviewScreen' },
      { invalidRequest: true },
    );
    expect(screened['results']['currentInterviewStage']['type']).toBe('PreInterviewScreen');
    expect(screened['results']['status']).toBe('Active');

    await expectError('application.create', { candidateId: candidate['id'], jobId: backend['id'] }, 'application_already_exists');
    await expectError('application.create', { candidateId: candidate['id'], jobId: closedJob['id'] }, 'job_not_open');
    await expectError('application.create', { candidateId: candidate['id'], jobId: '00000000-0000-4000-8000-000000000000' }, 'job_not_found');
    await expectError('application.create', { candidateId: '00000000-0000-4000-8000-000000000000', jobId: backend['id'] }, 'candidate_not_found');
    const designer = jobs.find((job) => job['title'] === 'Product Designer')!;
    await expectError(
      'application.create',
      { candidateId: candidate['id'], jobId: designer['id'], interviewStageId: backendStages[4]!['id'] },
      'interview_stage_not_found',
    );

    const listed = await expectSuccess('application.list', { jobId: backend['id'], status: 'Lead' });
    expect(listed['results'].map((application: Json) => application['id'])).toContain(created['results']['id']);
    await expectError('application.list', { cursor: 'forged' }, 'invalid_next_cursor');

    const info = await expectSuccess('application.info', { applicationId: created['results']['id'] });
    expect(info['results']['applicationHistory'][0]['title']).toBe('New Lead');
    await expectError('application.info', { applicationId: '00000000-0000-4000-8000-000000000000' }, 'application_not_found');
  });

  it('application.changeStage, changeSource and update', async () => {
    const candidate = (await expectSuccess('candidate.create', { name: 'Stage Mover' }))['results'];
    const application = (await expectSuccess('application.create', { candidateId: candidate['id'], jobId: backend['id'] }))['results'];
    const byTitle = (title: string) => backendStages.find((stage) => stage['title'] === title)!['id'];
    const reasons = (await expectSuccess('archiveReason.list', {}))['results'];

    const moved = await expectSuccess('application.changeStage', { applicationId: application['id'], interviewStageId: byTitle('Reached Out') });
    expect(moved['results']['currentInterviewStage']['title']).toBe('Reached Out');
    await expectError('application.changeStage', { applicationId: application['id'], interviewStageId: byTitle('Archived') }, 'invalid_input');
    await expectError(
      'application.changeStage',
      { applicationId: application['id'], interviewStageId: byTitle('Phone Screen'), archiveReasonId: reasons[0]['id'] },
      'invalid_input',
    );
    await expectError(
      'application.changeStage',
      { applicationId: application['id'], interviewStageId: byTitle('Archived'), archiveReasonId: '00000000-0000-4000-8000-000000000000' },
      'archive_reason_not_found',
    );
    await expectError('application.changeStage', { applicationId: '00000000-0000-4000-8000-000000000000', interviewStageId: byTitle('Replied') }, 'application_not_found');
    await expectError('application.changeStage', { applicationId: application['id'], interviewStageId: '00000000-0000-4000-8000-000000000000' }, 'interview_stage_not_found');
    const archived = await expectSuccess('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: byTitle('Archived'),
      archiveReasonId: reasons[0]['id'],
    });
    expect(archived['results']['status']).toBe('Archived');
    expect(archived['results']['archiveReason']['text']).toBe('Not a fit');

    const sources = (await expectSuccess('source.list', {}))['results'];
    const sourced = await expectSuccess('application.changeSource', { applicationId: application['id'], sourceId: sources[1]['id'] });
    expect(sourced['results']['source']['title']).toBe(sources[1]['title']);
    await expectError('application.changeSource', { applicationId: application['id'], sourceId: '00000000-0000-4000-8000-000000000000' }, 'source_not_found');
    // Ashby's description states that null removes the source, but the document types sourceId as a string,
    // so this request is left out of request validation.
    const cleared = await expectSuccess('application.changeSource', { applicationId: application['id'], sourceId: null }, { invalidRequest: true });
    expect(cleared['results']['source']).toBeNull();

    const users = (await expectSuccess('user.list', {}))['results'];
    const credited = await expectSuccess('application.update', {
      applicationId: application['id'],
      creditedToUserId: users[0]['id'],
      sendNotifications: false,
    });
    expect(credited['results']['creditedToUser']['id']).toBe(users[0]['id']);
    await expectError('application.update', { applicationId: application['id'], creditedToUserId: '00000000-0000-4000-8000-000000000000' }, 'user_not_found');
  });

  it('sends the error envelope with 4xx statuses', async () => {
    const replies = [
      await callAshby(sandbox.url, null, 'job.list'),
      await callAshby(sandbox.url, 'unknown-key', 'job.list'),
      await callAshby(sandbox.url, apiKey, 'job.list', undefined, { method: 'GET' }),
      await callAshby(sandbox.url, apiKey, 'candidate.teleport'),
    ];
    sandbox.addFault({ tenant: 'Northwind Robotics', endpoint: 'job.list', kind: 'rate_limit', times: 1 });
    replies.push(await callAshby(sandbox.url, apiKey, 'job.list'));
    sandbox.addFault({ tenant: 'Northwind Robotics', endpoint: 'job.list', kind: 'partner_rate_limit', times: 1 });
    replies.push(await callAshby(sandbox.url, apiKey, 'job.list'));

    expect(replies.map((reply) => reply.status)).toEqual([401, 403, 405, 404, 429, 429]);
    for (const reply of replies) {
      expectValid(openApi.validateErrorEnvelope(reply.body), `${reply.status} body`);
      expect((reply.body as Json)['errorInfo']['requestId']).toBe(reply.headers.get('x-ashby-request-id'));
    }
  });

  it('covers every implemented endpoint on both paths', () => {
    for (const endpoint of Object.keys(ENDPOINTS)) {
      expect(openApi.endpoints(), `${endpoint} is in the OpenAPI document`).toContain(endpoint);
      const entry = covered.get(endpoint);
      expect(entry?.success ?? 0, `${endpoint} success path`).toBeGreaterThan(0);
      expect(entry?.error ?? 0, `${endpoint} error path`).toBeGreaterThan(0);
    }
  });
});
