// The narrow view of Ashby the engine works with. Each method throws an `AshbyError` (from
// core/ashby/errors.ts) on failure; the engine classifies it by `kind`. An adapter builds this from
// the Ashby client, so the engine does not depend on how the client names its methods.
import type { PlanStage } from './stages.js';

export interface AshbyCandidateRecord {
  id: string;
  name: string;
  /** Every email address Ashby stores for the candidate, primary first. */
  emails: string[];
  /** LinkedIn profile links from `socialLinks`, as stored. */
  linkedInUrls: string[];
  applicationIds: string[];
  /** True when Ashby has a resume for the candidate (`resumeFileHandle` is set). */
  hasResume?: boolean;
}

export interface AshbyApplicationRecord {
  id: string;
  candidateId: string;
  jobId: string;
  status: string;
  stage: PlanStage;
}

export interface AshbyPage<T> {
  items: T[];
  moreDataAvailable: boolean;
  nextCursor?: string | undefined;
  syncToken?: string | undefined;
}

/** A write's result together with the `x-ashby-request-id` for the audit log. */
export interface Written<T> {
  value: T;
  requestId?: string | undefined;
}

export interface JobPlan {
  jobId: string;
  title: string;
  status: string;
  interviewPlanId: string;
  stages: PlanStage[];
}

export interface CreateCandidateInput {
  name: string;
  email?: string | undefined;
  phoneNumber?: string | undefined;
  linkedInUrl?: string | undefined;
}

export interface CreateApplicationInput {
  candidateId: string;
  jobId: string;
  interviewStageId: string;
  sourceId?: string | undefined;
}

export interface ChangeStageInput {
  applicationId: string;
  interviewStageId: string;
  archiveReasonId?: string | undefined;
}

export interface UploadResumeInput {
  candidateId: string;
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

export interface AshbyPort {
  listCandidates(
    page: { cursor?: string; syncToken?: string },
    signal?: AbortSignal,
  ): Promise<AshbyPage<AshbyCandidateRecord>>;
  listApplications(
    page: { jobId: string; cursor?: string; syncToken?: string },
    signal?: AbortSignal,
  ): Promise<AshbyPage<AshbyApplicationRecord>>;
  searchCandidates(
    query: { email?: string; name?: string },
    signal?: AbortSignal,
  ): Promise<AshbyCandidateRecord[]>;
  candidateInfo(candidateId: string, signal?: AbortSignal): Promise<AshbyCandidateRecord>;
  applicationInfo(applicationId: string, signal?: AbortSignal): Promise<AshbyApplicationRecord>;
  jobPlan(jobId: string, signal?: AbortSignal): Promise<JobPlan>;
  createCandidate(
    input: CreateCandidateInput,
    signal?: AbortSignal,
  ): Promise<Written<AshbyCandidateRecord>>;
  createApplication(
    input: CreateApplicationInput,
    signal?: AbortSignal,
  ): Promise<Written<AshbyApplicationRecord>>;
  changeStage(
    input: ChangeStageInput,
    signal?: AbortSignal,
  ): Promise<Written<AshbyApplicationRecord>>;
  /** Uploads through a fresh upload handle each time, then attaches the file as the resume. */
  uploadResume(input: UploadResumeInput, signal?: AbortSignal): Promise<Written<null>>;
  apiKeyInfo(signal?: AbortSignal): Promise<{ title: string; scopes: string[] }>;
}
