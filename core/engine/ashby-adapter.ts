// Builds the engine's AshbyPort from the Ashby client: maps Ashby's candidate and application
// shapes to the few fields the engine uses.
import type { AshbyClient, Application, Candidate } from '../ashby/index.js';
import type { AshbyApplicationRecord, AshbyCandidateRecord, AshbyPort } from './ashby-port.js';

export function candidateRecord(candidate: Candidate): AshbyCandidateRecord {
  const emails: string[] = [];
  const primary = candidate.primaryEmailAddress?.value;
  if (primary) emails.push(primary);
  for (const entry of candidate.emailAddresses) {
    if (entry.value && !emails.includes(entry.value)) emails.push(entry.value);
  }
  const linkedInUrls = candidate.socialLinks
    .filter(
      (link) =>
        (link.type ?? '').toLowerCase() === 'linkedin' || /linkedin\.com/i.test(link.url ?? ''),
    )
    .map((link) => link.url ?? '')
    .filter((url) => url !== '');
  return {
    id: candidate.id,
    name: candidate.name,
    emails,
    linkedInUrls,
    applicationIds: [...candidate.applicationIds],
    hasResume: candidate.resumeFileHandle !== null && candidate.resumeFileHandle !== undefined,
  };
}

export function applicationRecord(application: Application): AshbyApplicationRecord {
  const stage = application.currentInterviewStage;
  return {
    id: application.id,
    candidateId: application.candidate.id,
    jobId: application.job.id,
    status: application.status,
    // Some responses trim the stage to `{ id }`; the engine fills the rest from the job's plan.
    stage: {
      id: stage?.id ?? '',
      title: stage?.title ?? '',
      type: stage?.type ?? '',
      orderInInterviewPlan: stage?.orderInInterviewPlan ?? -1,
    },
  };
}

export function createAshbyPort(client: AshbyClient): AshbyPort {
  return {
    async listCandidates(page, signal) {
      const response = await client.candidate.list({ ...page, limit: 100 }, { signal });
      return {
        items: response.results.map(candidateRecord),
        moreDataAvailable: response.moreDataAvailable,
        nextCursor: response.nextCursor,
        syncToken: response.syncToken,
      };
    },
    async listApplications(page, signal) {
      const response = await client.application.list({ ...page, limit: 100 }, { signal });
      return {
        items: response.results.map(applicationRecord),
        moreDataAvailable: response.moreDataAvailable,
        nextCursor: response.nextCursor,
        syncToken: response.syncToken,
      };
    },
    async searchCandidates(query, signal) {
      const response = await client.candidate.search(query, { signal });
      return response.results.map(candidateRecord);
    },
    async candidateInfo(candidateId, signal) {
      const response = await client.candidate.info({ id: candidateId }, { signal });
      return candidateRecord(response.results);
    },
    async applicationInfo(applicationId, signal) {
      const response = await client.application.info({ applicationId }, { signal });
      return applicationRecord(response.results);
    },
    async jobPlan(jobId, signal) {
      const job = await client.job.info({ id: jobId }, { signal });
      const plan = await client.jobInterviewPlan.info({ jobId }, { signal });
      return {
        jobId,
        title: job.results.title,
        status: job.results.status,
        interviewPlanId: plan.results.interviewPlanId,
        stages: plan.results.stages.map((stage) => ({
          id: stage.id,
          title: stage.title,
          type: stage.type,
          orderInInterviewPlan: stage.orderInInterviewPlan,
        })),
      };
    },
    async createCandidate(input, signal) {
      const params: { name: string; email?: string; phoneNumber?: string; linkedInUrl?: string } = {
        name: input.name,
      };
      if (input.email !== undefined) params.email = input.email;
      if (input.phoneNumber !== undefined) params.phoneNumber = input.phoneNumber;
      if (input.linkedInUrl !== undefined) params.linkedInUrl = input.linkedInUrl;
      const response = await client.candidate.create(params, { signal });
      return { value: candidateRecord(response.results), requestId: response.meta.requestId };
    },
    async createApplication(input, signal) {
      const params: {
        candidateId: string;
        jobId: string;
        interviewStageId: string;
        sourceId?: string;
      } = {
        candidateId: input.candidateId,
        jobId: input.jobId,
        interviewStageId: input.interviewStageId,
      };
      if (input.sourceId !== undefined) params.sourceId = input.sourceId;
      const response = await client.application.create(params, { signal });
      return { value: applicationRecord(response.results), requestId: response.meta.requestId };
    },
    async changeStage(input, signal) {
      const params: { applicationId: string; interviewStageId: string; archiveReasonId?: string } =
        {
          applicationId: input.applicationId,
          interviewStageId: input.interviewStageId,
        };
      if (input.archiveReasonId !== undefined) params.archiveReasonId = input.archiveReasonId;
      const response = await client.application.changeStage(params, { signal });
      return { value: applicationRecord(response.results), requestId: response.meta.requestId };
    },
    async uploadResume(input, signal) {
      const result = await client.uploadResume(
        input.candidateId,
        { bytes: input.content, filename: input.fileName, contentType: input.contentType },
        { signal },
      );
      return { value: null, requestId: result.meta.requestId };
    },
    async apiKeyInfo(signal) {
      const response = await client.apiKey.info({ signal });
      return { title: response.results.title ?? '', scopes: [...(response.results.scopes ?? [])] };
    },
  };
}
