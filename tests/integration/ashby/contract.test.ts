// Drives every client method against the sandbox through a fetch wrapper that validates each
// request the client sends against the request schema of Ashby's published OpenAPI document,
// and each 200 response against the response schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AshbyClient } from '../../../core/ashby/index.js';
import { createAshbyClient } from '../../../core/ashby/index.js';
import { loadAshbyOpenApi } from '../sandbox/openapi.js';
import type { Harness } from './sandbox-harness.js';
import { startHarness } from './sandbox-harness.js';

const TENANT = 'Acme Health';
const PDF = new TextEncoder().encode('%PDF-1.4\n% contract test resume\n');

let harness: Harness;
let ashby: AshbyClient;
const violations: string[] = [];
const sentEndpoints = new Set<string>();

function formDataToObject(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) fields[name] = typeof value === 'string' ? value : '<binary>';
  return fields;
}

beforeAll(async () => {
  const openapi = loadAshbyOpenApi();
  harness = await startHarness();

  const validatingFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const endpoint = url.pathname.slice(1);
    const isApiCall = !endpoint.startsWith('_');
    if (isApiCall) {
      sentEndpoints.add(endpoint);
      const body = init?.body;
      const request =
        body instanceof FormData
          ? openapi.validateRequest(endpoint, formDataToObject(body), 'multipart/form-data')
          : openapi.validateRequest(endpoint, JSON.parse(String(body)));
      if (!request.valid) violations.push(`request ${endpoint}: ${request.errors.join('; ')}`);
    }
    const response = await fetch(input, init);
    if (isApiCall && response.status === 200) {
      const result = openapi.validateResponse(endpoint, await response.clone().json());
      if (!result.valid) violations.push(`response ${endpoint}: ${result.errors.join('; ')}`);
    }
    return response;
  };

  ashby = createAshbyClient({ baseUrl: harness.url, apiKey: harness.keyOf(TENANT), label: TENANT, fetch: validatingFetch });
});

afterAll(async () => {
  await harness.sandbox.close();
});

describe('client requests match the OpenAPI document', () => {
  it('runs a whole push through every method', async () => {
    const key = await ashby.apiKey.info();
    expect(key.results.scopes).toContain('candidates:write');

    const jobs = await ashby.job.list();
    const job = jobs.results.find((entry) => entry.status === 'Open');
    expect(job).toBeDefined();
    if (!job?.defaultInterviewPlanId) throw new Error('open job without a default plan');

    const jobInfo = await ashby.job.info({ id: job.id });
    expect(jobInfo.results.title).toBe(job.title);

    const plan = await ashby.jobInterviewPlan.info({ jobId: job.id });
    const stages = await ashby.interviewStage.list({ interviewPlanId: job.defaultInterviewPlanId });
    expect(stages.results.map((stage) => stage.id)).toEqual(plan.results.stages.map((stage) => stage.id));
    const reachedOut = stages.results.find((stage) => stage.title === 'Reached Out');
    const archived = stages.results.find((stage) => stage.type === 'Archived');
    expect(reachedOut?.type).toBe('Lead');
    expect(archived).toBeDefined();

    const sources = await ashby.source.list();
    const reasons = await ashby.archiveReason.list();
    const users = await ashby.user.list();
    expect(sources.results.length).toBeGreaterThan(0);
    expect(reasons.results.length).toBeGreaterThan(0);
    expect(users.results.length).toBeGreaterThan(0);
    const source = sources.results[0];
    const reason = reasons.results[0];

    const found = await ashby.candidate.search({ email: 'lucas.moreau@example.net' });
    expect(found.results.map((candidate) => candidate.name)).toEqual(['Lucas Moreau']);
    const page = await ashby.candidate.list({ limit: 5 });
    expect(page.results).toHaveLength(5);

    const created = await ashby.candidate.create({
      name: 'Contract Candidate',
      email: 'contract.candidate@example.com',
      linkedInUrl: 'https://www.linkedin.com/in/contract-candidate-fake',
      sourceId: source?.id,
    });
    const candidateId = created.results.id;
    await ashby.candidate.update({ candidateId, websiteUrl: 'https://example.com/contract', sendNotifications: false });
    const info = await ashby.candidate.info({ id: candidateId });
    expect(info.results.primaryEmailAddress?.value).toBe('contract.candidate@example.com');

    const handle = await ashby.file.createFileUploadHandle({
      fileUploadContext: 'CandidateResume',
      filename: 'contract.pdf',
      contentType: 'application/pdf',
      contentLength: PDF.byteLength,
    });
    await ashby.uploadToHandle(handle.results, PDF, 'contract.pdf', 'application/pdf');
    await ashby.candidate.uploadResume({ candidateId, resumeHandle: handle.results.handle });
    await ashby.candidate.uploadResumeMultipart(candidateId, { bytes: PDF, filename: 'second.pdf', contentType: 'application/pdf' });

    const application = await ashby.application.create({ candidateId, jobId: job.id, sourceId: source?.id });
    expect(application.results.status).toBe('Lead');
    const applicationId = application.results.id;

    const moved = await ashby.application.changeStage({ applicationId, interviewStageId: reachedOut?.id ?? '' });
    expect(moved.results.currentInterviewStage?.title).toBe('Reached Out');
    await ashby.application.changeSource({ applicationId, sourceId: sources.results[1]?.id ?? null });
    const listed = await ashby.application.list({ jobId: job.id });
    expect(listed.results.some((entry) => entry.id === applicationId)).toBe(true);

    const rejected = await ashby.application
      .changeStage({ applicationId, interviewStageId: archived?.id ?? '' })
      .catch((caught: unknown) => caught);
    expect(rejected).toMatchObject({ kind: 'api', ashbyCode: 'invalid_input' });

    const archivedApplication = await ashby.application.changeStage({
      applicationId,
      interviewStageId: archived?.id ?? '',
      archiveReasonId: reason?.id,
    });
    expect(archivedApplication.results.status).toBe('Archived');
    const final = await ashby.application.info({ applicationId });
    expect(final.results.archiveReason?.id).toBe(reason?.id);

    expect(violations).toEqual([]);
  });

  // application.update is left out: the sandbox does not implement it.
  it('sent every endpoint the client offers', () => {
    expect([...sentEndpoints].sort()).toEqual(
      [
        'apiKey.info',
        'application.changeSource',
        'application.changeStage',
        'application.create',
        'application.info',
        'application.list',
        'archiveReason.list',
        'candidate.create',
        'candidate.info',
        'candidate.list',
        'candidate.search',
        'candidate.update',
        'candidate.uploadResume',
        'file.createFileUploadHandle',
        'interviewStage.list',
        'job.info',
        'job.list',
        'jobInterviewPlan.info',
        'source.list',
        'user.list',
      ].sort(),
    );
  });
});
