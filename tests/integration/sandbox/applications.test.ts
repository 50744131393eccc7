import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { callAshby, type Json } from './http.js';

describe('sandbox candidates and applications', () => {
  let sandbox: Sandbox;
  let apiKey: string;
  let jobs: Json[];
  let stagesByJob: Map<string, Json[]>;

  async function ok(endpoint: string, body: Json): Promise<Json> {
    const reply = await callAshby(sandbox.url, apiKey, endpoint, body);
    expect(reply.status).toBe(200);
    expect(reply.body['success'], JSON.stringify(reply.body)).toBe(true);
    return (reply.body as Json)['results'];
  }

  async function errorCode(endpoint: string, body: Json): Promise<string> {
    const reply = await callAshby(sandbox.url, apiKey, endpoint, body);
    expect(reply.status).toBe(200);
    expect(reply.body['success']).toBe(false);
    return (reply.body as Json)['errorInfo']['code'];
  }

  function job(title: string): Json {
    return jobs.find((candidate) => candidate['title'] === title)!;
  }

  function stage(jobTitle: string, stageTitle: string): Json {
    return stagesByJob.get(job(jobTitle)['id'])!.find((candidate) => candidate['title'] === stageTitle)!;
  }

  async function newApplication(jobTitle = 'Full-Stack Engineer'): Promise<Json> {
    const candidate = await ok('candidate.create', { name: 'Stage Walker' });
    return ok('application.create', { candidateId: candidate['id'], jobId: job(jobTitle)['id'] });
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
    apiKey = sandbox.tenants.find((tenant) => tenant.name === 'Acme Health')!.apiKey;
    jobs = (await ok('job.list', {})) as unknown as Json[];
    stagesByJob = new Map();
    for (const entry of jobs) {
      const plan = await ok('jobInterviewPlan.info', { jobId: entry['id'] });
      stagesByJob.set(entry['id'], plan['stages']);
    }
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('gives each Acme job its own plan', () => {
    const fullStack = stagesByJob.get(job('Full-Stack Engineer')['id'])!.map((entry) => entry['title']);
    const clinical = stagesByJob.get(job('Clinical Operations Lead')['id'])!.map((entry) => entry['title']);
    expect(fullStack.slice(0, 3)).toEqual(['New Lead', 'Reached Out', 'Replied']);
    expect(clinical.slice(0, 3)).toEqual(['New Lead', 'Reached Out', 'Replied']);
    expect(clinical).not.toEqual(fullStack);
    expect(stage('Full-Stack Engineer', 'New Lead')['id']).not.toBe(stage('Clinical Operations Lead', 'New Lead')['id']);
  });

  it('numbers stages in plan order', () => {
    const orders = stagesByJob.get(job('Clinical Operations Lead')['id'])!.map((entry) => entry['orderInInterviewPlan']);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('creates an application in the first Lead stage', async () => {
    const application = await newApplication();
    expect(application['currentInterviewStage']['id']).toBe(stage('Full-Stack Engineer', 'New Lead')['id']);
    expect(application['status']).toBe('Lead');
    expect(application['source']).toBeNull();
    expect(application).not.toHaveProperty('archivedAt');
  });

  it('creates in a given stage with a source', async () => {
    const candidate = await ok('candidate.create', { name: 'Direct Placement' });
    const sources = await ok('source.list', {});
    const jackAndJill = sources.find((source: Json) => source['title'] === 'Jack & Jill');
    const application = await ok('application.create', {
      candidateId: candidate['id'],
      jobId: job('Full-Stack Engineer')['id'],
      interviewStageId: stage('Full-Stack Engineer', 'Replied')['id'],
      sourceId: jackAndJill['id'],
    });
    expect(application['currentInterviewStage']['title']).toBe('Replied');
    expect(application['source']['title']).toBe('Jack & Jill');
    const info = await ok('candidate.info', { id: candidate['id'] });
    expect(info['applicationIds']).toEqual([application['id']]);
  });

  it('derives status from the stage type', async () => {
    const expected: [string, string][] = [
      ['Reached Out', 'Lead'],
      ['Application Review', 'Active'],
      ['Phone Screen', 'Active'],
      ['Offer', 'Active'],
      ['Hired', 'Hired'],
    ];
    const application = await newApplication();
    for (const [title, status] of expected) {
      const moved = await ok('application.changeStage', {
        applicationId: application['id'],
        interviewStageId: stage('Full-Stack Engineer', title)['id'],
      });
      expect(moved['status'], title).toBe(status);
    }
  });

  it('needs an archive reason for Archived', async () => {
    const application = await newApplication();
    const archivedStage = stage('Full-Stack Engineer', 'Archived')['id'];
    expect(await errorCode('application.changeStage', { applicationId: application['id'], interviewStageId: archivedStage })).toBe('invalid_input');
    const reasons = await ok('archiveReason.list', {});
    const archived = await ok('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: archivedStage,
      archiveReasonId: reasons[1]['id'],
    });
    expect(archived['status']).toBe('Archived');
    expect(archived['archiveReason']['text']).toBe('Withdrew');
    expect(archived['archivedAt']).toEqual(expect.any(String));

    const reopened = await ok('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: stage('Full-Stack Engineer', 'Phone Screen')['id'],
    });
    expect(reopened['archiveReason']).toBeNull();
    expect(reopened).not.toHaveProperty('archivedAt');
  });

  it('rejects archive fields on other stages', async () => {
    const application = await newApplication();
    const reasons = await ok('archiveReason.list', {});
    const code = await errorCode('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: stage('Full-Stack Engineer', 'Reached Out')['id'],
      archiveReasonId: reasons[0]['id'],
    });
    expect(code).toBe('invalid_input');
    const withEmail = await errorCode('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: stage('Full-Stack Engineer', 'Reached Out')['id'],
      archiveEmail: { communicationTemplateId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(withEmail).toBe('invalid_input');
  });

  it('rejects an archived archive reason', async () => {
    const application = await newApplication();
    const all = await ok('archiveReason.list', { includeArchived: true });
    const retired = all.find((reason: Json) => reason['isArchived'] === true);
    const code = await errorCode('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: stage('Full-Stack Engineer', 'Archived')['id'],
      archiveReasonId: retired['id'],
    });
    expect(code).toBe('archive_reason_not_found');
  });

  it('rejects a stage of another plan', async () => {
    const application = await newApplication('Full-Stack Engineer');
    const code = await errorCode('application.changeStage', {
      applicationId: application['id'],
      interviewStageId: stage('Clinical Operations Lead', 'Reached Out')['id'],
    });
    expect(code).toBe('interview_stage_not_found');
  });

  it('records stage history', async () => {
    const application = await newApplication();
    await ok('application.changeStage', { applicationId: application['id'], interviewStageId: stage('Full-Stack Engineer', 'Reached Out')['id'] });
    await ok('application.changeStage', { applicationId: application['id'], interviewStageId: stage('Full-Stack Engineer', 'Replied')['id'] });
    const info = await ok('application.info', { applicationId: application['id'] });
    const history = info['applicationHistory'] as Json[];
    expect(history.map((entry) => entry['title'])).toEqual(['New Lead', 'Reached Out', 'Replied']);
    expect(history.map((entry) => entry['stageNumber'])).toEqual([0, 1, 2]);
    expect(history[0]).toHaveProperty('leftStageAt');
    expect(history[2]).not.toHaveProperty('leftStageAt');
  });

  it('rejects a second application for the same job', async () => {
    const application = await newApplication();
    const code = await errorCode('application.create', { candidateId: application['candidate']['id'], jobId: job('Full-Stack Engineer')['id'] });
    expect(code).toBe('application_already_exists');
  });

  it('rejects applications to a closed job', async () => {
    const candidate = await ok('candidate.create', { name: 'Late Applicant' });
    const jobId = job('Clinical Operations Lead')['id'];
    sandbox.setJobStatus('Acme Health', jobId, 'Closed');
    try {
      expect(await errorCode('application.create', { candidateId: candidate['id'], jobId })).toBe('job_not_open');
    } finally {
      sandbox.setJobStatus('Acme Health', jobId, 'Open');
    }
    const application = await ok('application.create', { candidateId: candidate['id'], jobId });
    expect(application['job']['id']).toBe(jobId);
  });

  it('places FirstPreInterviewScreen', async () => {
    const candidate = await ok('candidate.create', { name: 'Screened Person' });
    const application = await ok('application.create', {
      candidateId: candidate['id'],
      jobId: job('Clinical Operations Lead')['id'],
      interviewStageId: 'FirstPreInterviewScreen',
    });
    expect(application['currentInterviewStage']['title']).toBe('Application Review');
  });

  it('backdates with applicationHistory', async () => {
    const candidate = await ok('candidate.create', { name: 'Imported Person' });
    const application = await ok('application.create', {
      candidateId: candidate['id'],
      jobId: job('Full-Stack Engineer')['id'],
      applicationHistory: [
        { stageId: stage('Full-Stack Engineer', 'New Lead')['id'], stageNumber: 0, enteredStageAt: '2026-01-02T10:00:00.000Z' },
        { stageId: stage('Full-Stack Engineer', 'Phone Screen')['id'], stageNumber: 1, enteredStageAt: '2026-01-05T10:00:00.000Z' },
      ],
    });
    expect(application['currentInterviewStage']['title']).toBe('Phone Screen');
    expect(application['status']).toBe('Active');
    expect(application['applicationHistory'][0]['leftStageAt']).toBe('2026-01-05T10:00:00.000Z');
  });

  it('needs a reason for an archived history entry', async () => {
    const candidate = await ok('candidate.create', { name: 'Imported Reject' });
    const history = [
      { stageId: stage('Full-Stack Engineer', 'New Lead')['id'], stageNumber: 0, enteredStageAt: '2026-01-02T10:00:00.000Z' },
      { stageId: stage('Full-Stack Engineer', 'Archived')['id'], stageNumber: 1, enteredStageAt: '2026-01-03T10:00:00.000Z' },
    ];
    const body = { candidateId: candidate['id'], jobId: job('Full-Stack Engineer')['id'], applicationHistory: history };
    expect(await errorCode('application.create', body)).toBe('invalid_input');

    const reasons = await ok('archiveReason.list', {});
    history[1] = { ...history[1]!, archiveReasonId: reasons[0]['id'] } as (typeof history)[number];
    const application = await ok('application.create', body);
    expect(application['status']).toBe('Archived');
    expect(application['archiveReason']['text']).toBe('Not a fit');
    expect(application['archivedAt']).toBe('2026-01-03T10:00:00.000Z');
  });

  it('rejects a history stage of another plan', async () => {
    const candidate = await ok('candidate.create', { name: 'Wrong Plan Import' });
    const code = await errorCode('application.create', {
      candidateId: candidate['id'],
      jobId: job('Full-Stack Engineer')['id'],
      applicationHistory: [{ stageId: stage('Clinical Operations Lead', 'New Lead')['id'], stageNumber: 0, enteredStageAt: '2026-01-02T10:00:00.000Z' }],
    });
    expect(code).toBe('interview_stage_not_found');
  });

  it('rejects a plan the job does not use', async () => {
    const candidate = await ok('candidate.create', { name: 'Plan Mismatch' });
    const code = await errorCode('application.create', {
      candidateId: candidate['id'],
      jobId: job('Full-Stack Engineer')['id'],
      interviewPlanId: job('Clinical Operations Lead')['defaultInterviewPlanId'],
    });
    expect(code).toBe('interview_plan_not_found');
  });

  it('rejects creating straight into Archived', async () => {
    const candidate = await ok('candidate.create', { name: 'Instant Reject' });
    const code = await errorCode('application.create', {
      candidateId: candidate['id'],
      jobId: job('Full-Stack Engineer')['id'],
      interviewStageId: stage('Full-Stack Engineer', 'Archived')['id'],
    });
    expect(code).toBe('invalid_input');
  });

  it('marks the candidate changed on a new application', async () => {
    const candidate = await ok('candidate.create', { name: 'Sync Watcher' });
    let cursor: string | undefined;
    let syncToken: string | undefined;
    do {
      const page = (await callAshby(sandbox.url, apiKey, 'candidate.list', cursor ? { cursor } : {})).body as Json;
      cursor = page['nextCursor'];
      syncToken = page['syncToken'];
    } while (cursor);
    await ok('application.create', { candidateId: candidate['id'], jobId: job('Full-Stack Engineer')['id'] });
    const changes = (await callAshby(sandbox.url, apiKey, 'candidate.list', { syncToken })).body as Json;
    expect(changes['results'].map((entry: Json) => entry['id'])).toEqual([candidate['id']]);
    expect(changes['results'][0]['applicationIds']).toHaveLength(1);
  });

  it('never deduplicates candidate.create', async () => {
    const first = await ok('candidate.create', { name: 'Lucas Moreau', email: 'lucas.moreau@example.net' });
    const second = await ok('candidate.create', { name: 'Lucas Moreau', email: 'lucas.moreau@example.net' });
    expect(first['id']).not.toBe(second['id']);
    const found = await ok('candidate.search', { email: 'LUCAS.MOREAU@example.net' });
    expect(found).toHaveLength(3);
  });

  it('searches every email of a candidate', async () => {
    const created = await ok('candidate.create', {
      name: 'Two Addresses',
      email: 'primary.two@example.com',
      alternateEmailAddresses: ['Other.Two@Example.org'],
    });
    const byAlternate = await ok('candidate.search', { email: 'other.two@example.org' });
    expect(byAlternate.map((candidate: Json) => candidate['id'])).toEqual([created['id']]);
    expect(created['emailAddresses']).toEqual([
      { value: 'primary.two@example.com', type: 'Personal', isPrimary: true },
      { value: 'Other.Two@Example.org', type: 'Personal', isPrimary: false },
    ]);
  });

  it('combines email and name with AND', async () => {
    await ok('candidate.create', { name: 'Shared Mailbox One', email: 'shared@example.com' });
    await ok('candidate.create', { name: 'Shared Mailbox Two', email: 'shared@example.com' });
    expect(await ok('candidate.search', { email: 'shared@example.com' })).toHaveLength(2);
    const both = await ok('candidate.search', { email: 'shared@example.com', name: 'two' });
    expect(both.map((candidate: Json) => candidate['name'])).toEqual(['Shared Mailbox Two']);
  });

  it('caps candidate.search at 100', async () => {
    const org = sandbox.addTenant({ name: 'Search Cap Org', seed: 'large', candidates: 150 });
    const reply = await callAshby(sandbox.url, org.apiKey, 'candidate.search', { name: 'a' });
    expect((reply.body as Json)['results']).toHaveLength(100);
  });

  it('stores LinkedIn URLs as given', async () => {
    const url = 'https://www.linkedin.com/in/Someone-Fake/?trk=x';
    const created = await ok('candidate.create', { name: 'Linked Person', linkedInUrl: url });
    expect(created['socialLinks']).toEqual([{ type: 'LinkedIn', url }]);
    expect(created['emailAddresses']).toEqual([]);
    expect(created).not.toHaveProperty('primaryEmailAddress');
  });

  it('updates email and social links', async () => {
    const created = await ok('candidate.create', { name: 'Changing Person', email: 'old@example.com', githubUrl: 'https://github.com/changing' });
    const updated = await ok('candidate.update', {
      candidateId: created['id'],
      email: 'new@example.com',
      linkedInUrl: 'https://linkedin.com/in/changing-fake',
    });
    expect(updated['primaryEmailAddress']['value']).toBe('new@example.com');
    expect(updated['emailAddresses'].map((email: Json) => email['value'])).toEqual(['new@example.com', 'old@example.com']);
    expect(updated['socialLinks'].map((link: Json) => link['type']).sort()).toEqual(['GitHub', 'LinkedIn']);
    const replaced = await ok('candidate.update', {
      candidateId: created['id'],
      socialLinks: [{ type: 'Website', url: 'https://example.com/changing' }],
      linkedInUrl: 'https://linkedin.com/in/ignored',
    });
    expect(replaced['socialLinks']).toEqual([{ type: 'Website', url: 'https://example.com/changing' }]);
    expect(await ok('candidate.search', { email: 'new@example.com' })).toHaveLength(1);
  });

  it('matches the recorded candidate shape', async () => {
    const created = await ok('candidate.create', { name: 'Shape Check' });
    expect(Object.keys(created)).toEqual([
      'id', 'createdAt', 'updatedAt', 'name', 'emailAddresses', 'phoneNumbers', 'socialLinks', 'tags',
      'applicationIds', 'fileHandles', 'customFields', 'profileUrl', 'source', 'creditedToUser', 'timezone', 'fraudStatus',
    ]);
    expect(created['profileUrl']).toMatch(/^https:\/\/app\.ashbyhq\.com\/candidate-searches\/new\/right-side\/candidates\/[0-9a-f-]{36}$/);
    expect(created['source']).toBeNull();
    expect(created['fraudStatus']).toBeNull();
  });
});
