// Typed Ashby API client. Every endpoint is `POST <baseUrl>/<resource>.<verb>` with a JSON body.
// Responses are validated with the lenient schemas in schemas.ts, and failures are thrown as the
// error union in errors.ts.
import type { z } from 'zod';
import type {
  ApplicationChangeSourceParams,
  ApplicationChangeStageParams,
  ApplicationCreateParams,
  ApplicationInfoParams,
  ApplicationListParams,
  ApplicationUpdateParams,
  CandidateCreateParams,
  CandidateInfoParams,
  CandidateListParams,
  CandidateSearchParams,
  CandidateUpdateParams,
  CandidateUploadResumeParams,
  CreateFileUploadHandleParams,
  IncludeArchivedParams,
  InterviewStageListParams,
  JobInfoParams,
  JobInterviewPlanInfoParams,
  JobListParams,
  UploadFile,
  UserListParams,
} from './requests.js';
import {
  ApiKeyInfo,
  Application,
  ArchiveReason,
  Candidate,
  FileUploadHandle,
  InterviewStage,
  Job,
  JobInterviewPlan,
  Source,
  User,
  listEnvelope,
  successEnvelope,
} from './schemas.js';
import type { RateLimiterSnapshot } from './rate-limiter.js';
import type { CallMeta, CallOptions, CallStats, TransportOptions } from './transport.js';
import { AshbyTransport } from './transport.js';
import type { ResumeUploadResult, UploadResumeOptions } from './upload.js';
import { uploadResumeFile, uploadToPresignedUrl } from './upload.js';

/** Result of a call that returns one object. */
export interface AshbyResponse<T> {
  results: T;
  meta: CallMeta;
}

/** Result of a list call. `nextCursor` and `syncToken` are set only where Ashby returns them. */
export interface AshbyListResponse<T> {
  results: T[];
  moreDataAvailable: boolean;
  nextCursor: string | undefined;
  syncToken: string | undefined;
  meta: CallMeta;
}

export type AshbyClientOptions = TransportOptions;

export type AshbyClient = ReturnType<typeof createAshbyClient>;

/** Creates a client for one API key (one Ashby organisation). */
export function createAshbyClient(options: AshbyClientOptions) {
  const transport = new AshbyTransport(options);

  async function single<T extends z.ZodType>(
    endpoint: string,
    body: unknown,
    results: T,
    isWrite: boolean,
    callOptions: CallOptions | undefined,
  ): Promise<AshbyResponse<z.infer<T>>> {
    const { data, meta } = await transport.call(endpoint, { kind: 'json', value: body }, successEnvelope(results), {
      isWrite,
      signal: callOptions?.signal,
    });
    return { results: data.results as z.infer<T>, meta };
  }

  async function list<T extends z.ZodType>(
    endpoint: string,
    body: unknown,
    item: T,
    callOptions: CallOptions | undefined,
  ): Promise<AshbyListResponse<z.infer<T>>> {
    const { data, meta } = await transport.call(endpoint, { kind: 'json', value: body }, listEnvelope(item), {
      isWrite: false,
      signal: callOptions?.signal,
    });
    return {
      results: data.results as z.infer<T>[],
      moreDataAvailable: data.moreDataAvailable ?? false,
      nextCursor: data.nextCursor ?? undefined,
      syncToken: data.syncToken ?? undefined,
      meta,
    };
  }

  const candidate = {
    search: (params: CandidateSearchParams, o?: CallOptions) => list('candidate.search', params, Candidate, o),
    list: (params: CandidateListParams = {}, o?: CallOptions) => list('candidate.list', params, Candidate, o),
    info: (params: CandidateInfoParams, o?: CallOptions) => single('candidate.info', params, Candidate, false, o),
    create: (params: CandidateCreateParams, o?: CallOptions) => single('candidate.create', params, Candidate, true, o),
    update: (params: CandidateUpdateParams, o?: CallOptions) => single('candidate.update', params, Candidate, true, o),
    /** Attaches a resume uploaded through `file.createFileUploadHandle` (the recommended mode). */
    uploadResume: (params: CandidateUploadResumeParams, o?: CallOptions) =>
      single('candidate.uploadResume', params, Candidate, true, o),
    /** Sends the resume bytes in a multipart `resume` field (Ashby's deprecated mode). */
    uploadResumeMultipart: async (
      candidateId: string,
      file: UploadFile,
      o?: CallOptions,
    ): Promise<AshbyResponse<Candidate>> => {
      const build = () => {
        const form = new FormData();
        form.append('candidateId', candidateId);
        form.append('resume', new Blob([file.bytes.slice()], { type: file.contentType }), file.filename);
        return form;
      };
      const { data, meta } = await transport.call(
        'candidate.uploadResume',
        { kind: 'multipart', build },
        successEnvelope(Candidate),
        { isWrite: true, signal: o?.signal },
      );
      return { results: data.results, meta };
    },
  };

  const file = {
    // Sent as a read for retry purposes: a handle that is never used changes nothing in Ashby, so
    // asking again after a lost response is safe.
    createFileUploadHandle: (params: CreateFileUploadHandleParams, o?: CallOptions) =>
      single('file.createFileUploadHandle', params, FileUploadHandle, false, o),
  };

  const client = {
    /** Tenant name given at creation, for messages. */
    label: options.label,
    apiKey: {
      info: (o?: CallOptions) => single('apiKey.info', {}, ApiKeyInfo, false, o),
    },
    job: {
      list: (params: JobListParams = {}, o?: CallOptions) => list('job.list', params, Job, o),
      info: (params: JobInfoParams, o?: CallOptions) => single('job.info', params, Job, false, o),
    },
    jobInterviewPlan: {
      info: (params: JobInterviewPlanInfoParams, o?: CallOptions) =>
        single('jobInterviewPlan.info', params, JobInterviewPlan, false, o),
    },
    interviewStage: {
      list: (params: InterviewStageListParams, o?: CallOptions) =>
        list('interviewStage.list', params, InterviewStage, o),
    },
    source: {
      list: (params: IncludeArchivedParams = {}, o?: CallOptions) => list('source.list', params, Source, o),
    },
    archiveReason: {
      list: (params: IncludeArchivedParams = {}, o?: CallOptions) =>
        list('archiveReason.list', params, ArchiveReason, o),
    },
    user: {
      list: (params: UserListParams = {}, o?: CallOptions) => list('user.list', params, User, o),
    },
    candidate,
    file,
    application: {
      list: (params: ApplicationListParams = {}, o?: CallOptions) => list('application.list', params, Application, o),
      info: (params: ApplicationInfoParams, o?: CallOptions) =>
        single('application.info', params, Application, false, o),
      create: (params: ApplicationCreateParams, o?: CallOptions) =>
        single('application.create', params, Application, true, o),
      changeStage: (params: ApplicationChangeStageParams, o?: CallOptions) =>
        single('application.changeStage', params, Application, true, o),
      changeSource: (params: ApplicationChangeSourceParams, o?: CallOptions) =>
        single('application.changeSource', params, Application, true, o),
      update: (params: ApplicationUpdateParams, o?: CallOptions) =>
        single('application.update', params, Application, true, o),
    },

    /**
     * Uploads a file to the presigned URL of an upload handle: a multipart POST of the handle's
     * `fields` in order, then the file as `file`. Sends no Ashby credentials.
     */
    uploadToHandle: (
      handle: FileUploadHandle,
      bytes: Uint8Array,
      filename: string,
      contentType: string,
      o?: CallOptions,
    ): Promise<void> => uploadToPresignedUrl(transport, handle, { bytes, filename, contentType }, o),

    /**
     * Attaches a resume to a candidate: creates an upload handle, uploads the file, then calls
     * `candidate.uploadResume`. Falls back to the multipart mode when Ashby rejects the handle
     * request, and requests a fresh handle when an upload URL has expired or failed transiently.
     */
    uploadResume: (
      candidateId: string,
      resume: UploadFile,
      o?: UploadResumeOptions,
    ): Promise<ResumeUploadResult> =>
      uploadResumeFile(
        {
          createHandle: (params, callOptions) => file.createFileUploadHandle(params, callOptions),
          upload: (handle, upload, callOptions) => uploadToPresignedUrl(transport, handle, upload, callOptions),
          attach: (params, callOptions) => candidate.uploadResume(params, callOptions),
          attachMultipart: (id, upload, callOptions) => candidate.uploadResumeMultipart(id, upload, callOptions),
        },
        candidateId,
        resume,
        o,
      ),

    /** Counts of HTTP attempts this client has sent, by endpoint. */
    stats: (): CallStats => transport.stats(),

    /** Budget, requests in flight and pause of this client's key, e.g. for a "rate limited" status. */
    rateLimitState: (): RateLimiterSnapshot => transport.rateLimitState(),
  };
  return client;
}
