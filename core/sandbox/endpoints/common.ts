import { z } from 'zod';

import { AshbyError } from '../errors.js';
import type {
  Permission,
  StoredApiKey,
  StoredApplication,
  StoredCandidate,
  StoredJob,
  Tenant,
  UploadRegistry,
} from '../model.js';
import type { PaginationStore } from '../pagination.js';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A parsed request body: JSON for every endpoint, multipart for the deprecated upload modes. */
export type RequestBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'multipart'; fields: Record<string, string>; files: UploadedFile[] };

/** Request state and sandbox services passed to every endpoint handler. */
export interface ApiContext {
  tenant: Tenant;
  key: StoredApiKey;
  nowMs: number;
  nowIso: string;
  /** Base URL of the sandbox (for upload URLs), without a trailing slash. */
  baseUrl: string;
  pagination: PaginationStore;
  uploads: UploadRegistry;
  newId(): string;
}

/** Success envelope fields besides `success`. */
export type HandlerResult = Record<string, unknown> & { results: unknown };

export interface EndpointDefinition {
  permission: Permission;
  /** Whether the endpoint also accepts `multipart/form-data` (deprecated upload modes). */
  acceptsMultipart: boolean;
  /** Whether the endpoint writes; `commit_then_drop` faults are meant for these. */
  writes: boolean;
  handle(context: ApiContext, body: RequestBody): HandlerResult;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id parameter: Ashby's document types every id as a `uuid` string. */
export const uuidParam = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** An epoch-milliseconds filter such as `createdAfter`. */
export const epochMsParam = z.number().int();

export const pageParams = {
  cursor: z.string().optional(),
  syncToken: z.string().optional(),
  limit: z.number().optional(),
};

/** Parses a JSON body with `schema`, turning any mismatch into Ashby's `invalid_input`. */
export function parseJson<T>(schema: z.ZodType<T>, body: RequestBody): T {
  if (body.kind !== 'json') {
    throw new AshbyError('invalid_input', 'This endpoint accepts only an application/json body.');
  }
  const value = body.value === undefined ? {} : body.value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
      .join('; ');
    throw new AshbyError('invalid_input', `Invalid request: ${details}`);
  }
  return parsed.data;
}

/** Stable text form of a request's filters, so a cursor is only accepted with the same filters. */
export function filterKey(filters: Record<string, unknown>): string {
  const entries = Object.entries(filters).filter(([, value]) => value !== undefined);
  entries.sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

// Keys without the confidential toggle see neither confidential jobs nor the applications and
// candidates that belong to them (Ashby's API key settings describe the toggle this way).

export function jobVisible(context: ApiContext, job: StoredJob): boolean {
  return context.key.confidentialAccess || !job.confidential;
}

export function applicationVisible(context: ApiContext, application: StoredApplication): boolean {
  if (context.key.confidentialAccess) return true;
  const job = context.tenant.jobs.get(application.jobId);
  return job !== undefined && !job.confidential;
}

export function visibleApplicationIds(context: ApiContext, candidate: StoredCandidate): string[] {
  return candidate.applicationIds.filter((id) => {
    const application = context.tenant.applications.get(id);
    return application !== undefined && applicationVisible(context, application);
  });
}

/** Returns false only when every application of the candidate is on a confidential job the key cannot see. */
export function candidateVisible(context: ApiContext, candidate: StoredCandidate): boolean {
  if (context.key.confidentialAccess || candidate.applicationIds.length === 0) return true;
  return visibleApplicationIds(context, candidate).length > 0;
}

export function requireCandidate(context: ApiContext, candidateId: string): StoredCandidate {
  const candidate = context.tenant.candidates.get(candidateId);
  if (!candidate || !candidateVisible(context, candidate)) {
    throw new AshbyError('candidate_not_found', `No candidate with id ${candidateId}.`);
  }
  return candidate;
}

export function requireJob(context: ApiContext, jobId: string): StoredJob {
  const job = context.tenant.jobs.get(jobId);
  if (!job || !jobVisible(context, job)) {
    throw new AshbyError('job_not_found', `No job with id ${jobId}.`);
  }
  return job;
}

export function requireApplication(context: ApiContext, applicationId: string): StoredApplication {
  const application = context.tenant.applications.get(applicationId);
  if (!application || !applicationVisible(context, application)) {
    throw new AshbyError('application_not_found', `No application with id ${applicationId}.`);
  }
  return application;
}

export function requireSource(context: ApiContext, sourceId: string): void {
  if (!context.tenant.sources.has(sourceId)) {
    throw new AshbyError('source_not_found', `No source with id ${sourceId}.`);
  }
}

/** NOTE: Ashby documents no error code for an unknown `creditedToUserId`; `user_not_found` is a guess. */
export function requireUser(context: ApiContext, userId: string): void {
  if (!context.tenant.users.has(userId)) {
    throw new AshbyError('user_not_found', `No user with id ${userId}.`);
  }
}
