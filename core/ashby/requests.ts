// Request bodies of the Ashby endpoints the client calls, with Ashby's parameter names (which are
// not uniform: `candidate.info` and `job.info` take `id`, `application.info` takes `applicationId`).
import type { ApplicationStatus, JobStatus } from './schemas.js';

export interface PageParams {
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
  /** Page size; Ashby's default and maximum is 100. */
  limit?: number;
  /** Token from a previous full pass; returns only records changed since. */
  syncToken?: string;
}

export interface JobListParams extends PageParams {
  /** Epoch milliseconds. */
  createdAfter?: number;
  /** Draft jobs are left out unless `Draft` is listed here. */
  status?: JobStatus[];
  openedAfter?: number;
  openedBefore?: number;
  closedAfter?: number;
  closedBefore?: number;
  includeUnpublishedJobPostingsIds?: boolean;
  expand?: ('location' | 'openings')[];
}

export interface JobInfoParams {
  id: string;
  includeUnpublishedJobPostingsIds?: boolean;
  expand?: ('location' | 'openings')[];
}

export interface JobInterviewPlanInfoParams {
  jobId: string;
}

export interface InterviewStageListParams {
  interviewPlanId: string;
}

export interface IncludeArchivedParams {
  includeArchived?: boolean;
}

export interface UserListParams extends PageParams {
  includeDeactivated?: boolean;
}

/** Both optional; Ashby combines them with AND. Returns at most 100 candidates, unpaginated. */
export interface CandidateSearchParams {
  email?: string;
  name?: string;
}

export interface CandidateListParams extends PageParams {
  /** Epoch milliseconds. */
  createdAfter?: number;
}

export type CandidateInfoParams = { id: string } | { externalMappingId: string };

export interface CandidateLocationParams {
  city?: string;
  region?: string;
  country?: string;
}

export interface CandidateCreateParams {
  /** First and last name in one string. */
  name: string;
  email?: string;
  phoneNumber?: string;
  /** Must be a valid URL. */
  linkedInUrl?: string;
  githubUrl?: string;
  /** `website` here; `candidate.update` calls the same field `websiteUrl`. */
  website?: string;
  alternateEmailAddresses?: string[];
  sourceId?: string;
  creditedToUserId?: string;
  location?: CandidateLocationParams;
  /** ISO date-time; backdates the record, so send it only on purpose. */
  createdAt?: string;
}

export interface CandidateUpdateParams {
  candidateId: string;
  name?: string;
  email?: string;
  phoneNumber?: string;
  linkedInUrl?: string;
  githubUrl?: string;
  websiteUrl?: string;
  /** One address; `candidate.create` takes an array named `alternateEmailAddresses`. */
  alternateEmail?: string;
  /** Replaces every existing link, and makes Ashby ignore linkedInUrl/githubUrl/websiteUrl. */
  socialLinks?: { type: string; url: string }[];
  sourceId?: string;
  creditedToUserId?: string;
  location?: CandidateLocationParams;
  createdAt?: string;
  sendNotifications?: boolean;
}

export type FileUploadContext = 'CandidateResume' | 'CandidateFiles' | 'ApplicationForm';

export interface CreateFileUploadHandleParams {
  fileUploadContext: FileUploadContext;
  filename: string;
  contentType: string;
  /** Size in bytes. */
  contentLength: number;
}

export interface CandidateUploadResumeParams {
  candidateId: string;
  /** `handle` from `file.createFileUploadHandle`, after the file was uploaded to its URL. */
  resumeHandle: string;
}

/** A file held in memory for upload. */
export interface UploadFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

export interface ApplicationListParams extends PageParams {
  /** Epoch milliseconds. */
  createdAfter?: number;
  /** A single status; Ashby has no candidate filter on this endpoint. */
  status?: ApplicationStatus;
  jobId?: string;
  expand?: 'openings'[];
}

export interface ApplicationInfoParams {
  applicationId: string;
  expand?: ('openings' | 'applicationFormSubmissions' | 'referrals')[];
}

export interface ApplicationCreateParams {
  candidateId: string;
  jobId: string;
  interviewPlanId?: string;
  /** Defaults to the plan's first Lead stage; `FirstPreInterviewScreen` selects that stage. */
  interviewStageId?: string;
  sourceId?: string;
  creditedToUserId?: string;
  createdAt?: string;
}

export interface ApplicationChangeStageParams {
  applicationId: string;
  interviewStageId: string;
  /** Required when the target stage's type is Archived, and rejected for any other stage. */
  archiveReasonId?: string;
  archiveEmail?: { communicationTemplateId: string; sendAt?: string };
}

export interface ApplicationChangeSourceParams {
  applicationId: string;
  /** `null` removes the source. */
  sourceId: string | null;
}

export interface ApplicationUpdateParams {
  applicationId: string;
  sourceId?: string;
  creditedToUserId?: string;
  createdAt?: string;
  sendNotifications?: boolean;
}
