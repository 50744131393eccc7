// Resume upload: Ashby's presigned-handle flow (`file.createFileUploadHandle`, a multipart POST to
// the returned URL, then `candidate.uploadResume` with the handle) and its deprecated multipart
// fallback. The presigned URL expires 10 minutes after the handle is created.
import type { AshbyError } from './errors.js';
import { AshbyApiError, AshbyCancelledError, AshbyTransientError, isAshbyError } from './errors.js';
import { classifyFailure } from './error-mapping.js';
import { encodeMultipart } from './multipart.js';
import type { CandidateUploadResumeParams, CreateFileUploadHandleParams, UploadFile } from './requests.js';
import type { Candidate, FileUploadHandle } from './schemas.js';
import { attemptSignal, type AshbyTransport, type CallMeta, type CallOptions } from './transport.js';

/**
 * Name used in errors and events for the upload to a presigned URL. It is not an Ashby endpoint;
 * the sandbox counts these uploads under the same name.
 */
export const UPLOAD_ENDPOINT = 'file.upload';

export const UPLOAD_URL_EXPIRED = 'upload_url_expired';
export const UPLOAD_REJECTED = 'upload_rejected';

/**
 * POSTs `fields` then `file` as multipart/form-data to the handle's URL. No Ashby credentials are
 * sent and the Ashby rate limiter is not used, because the URL points at file storage.
 * Throws AshbyApiError `upload_url_expired` or `upload_rejected` for a 4xx, AshbyTransientError
 * for a 5xx, a timeout or a network failure, and AshbyCancelledError when `signal` aborts.
 */
export async function uploadToPresignedUrl(
  transport: AshbyTransport,
  handle: FileUploadHandle,
  file: UploadFile,
  options?: CallOptions,
): Promise<void> {
  const context = { endpoint: UPLOAD_ENDPOINT, label: transport.label };
  if (options?.signal?.aborted) throw new AshbyCancelledError(context);

  const form = encodeMultipart(handle.fields, 'file', file);

  const attemptAbort = attemptSignal(options?.signal, transport.timeoutMs);
  const started = transport.clock.now();
  let status: number | undefined;
  let error: AshbyError | undefined;

  try {
    transport.countUpload();
    const response = await transport.fetchImpl(handle.url, {
      method: 'POST',
      headers: { 'Content-Type': form.contentType },
      body: form.body,
      signal: attemptAbort.signal,
    });
    status = response.status;
    const text = await response.text();
    if (status >= 500) {
      error = new AshbyTransientError('server_error', { ...context, status }, text.trim().slice(0, 200) || undefined);
    } else if (status < 200 || status >= 300) {
      const expired = /expired/i.test(text);
      error = new AshbyApiError(
        { ashbyCode: expired ? UPLOAD_URL_EXPIRED : UPLOAD_REJECTED, ashbyMessage: text.trim().slice(0, 300) || undefined },
        { ...context, status },
      );
    }
  } catch (caught) {
    if (options?.signal?.aborted) error = new AshbyCancelledError(context);
    else error = classifyFailure(caught, { ...context, isWrite: false, timedOut: attemptAbort.timedOut, timeoutMs: transport.timeoutMs });
  } finally {
    attemptAbort.dispose();
  }

  transport.report({
    endpoint: UPLOAD_ENDPOINT,
    label: transport.label,
    attempt: 1,
    status,
    durationMs: transport.clock.now() - started,
    requestId: undefined,
    isWrite: false,
    ok: error === undefined,
    errorKind: error?.kind,
    errorCode: error?.code,
  });
  if (error) throw error;
}

export interface UploadResumeOptions extends CallOptions {
  /** Upload handles to try when an upload URL expires or fails transiently. Default 2. */
  maxHandleAttempts?: number;
  /** Use the deprecated multipart mode when Ashby rejects the handle request. Default true. */
  allowMultipartFallback?: boolean;
}

export interface ResumeUploadResult {
  results: Candidate;
  meta: CallMeta;
  mode: 'handle' | 'multipart';
  /** Upload handles requested, counting a rejected request that led to the multipart mode. */
  handleAttempts: number;
}

export interface ResumeUploadSteps {
  createHandle(
    params: CreateFileUploadHandleParams,
    options?: CallOptions,
  ): Promise<{ results: FileUploadHandle; meta: CallMeta }>;
  upload(handle: FileUploadHandle, file: UploadFile, options?: CallOptions): Promise<void>;
  attach(params: CandidateUploadResumeParams, options?: CallOptions): Promise<{ results: Candidate; meta: CallMeta }>;
  attachMultipart(
    candidateId: string,
    file: UploadFile,
    options?: CallOptions,
  ): Promise<{ results: Candidate; meta: CallMeta }>;
}

function isRetryableUploadError(error: unknown): boolean {
  if (!isAshbyError(error)) return false;
  if (error.kind === 'transient') return true;
  return error.kind === 'api' && error.ashbyCode === UPLOAD_URL_EXPIRED;
}

/** Runs the handle flow for one resume, with the fallbacks described on UploadResumeOptions. */
export async function uploadResumeFile(
  steps: ResumeUploadSteps,
  candidateId: string,
  file: UploadFile,
  options: UploadResumeOptions = {},
): Promise<ResumeUploadResult> {
  const maxHandleAttempts = Math.max(1, options.maxHandleAttempts ?? 2);
  const allowFallback = options.allowMultipartFallback ?? true;
  const callOptions: CallOptions = options.signal ? { signal: options.signal } : {};

  for (let handleAttempt = 1; ; handleAttempt += 1) {
    let handle: FileUploadHandle;
    try {
      const created = await steps.createHandle(
        {
          fileUploadContext: 'CandidateResume',
          filename: file.filename,
          contentType: file.contentType,
          contentLength: file.bytes.byteLength,
        },
        callOptions,
      );
      handle = created.results;
    } catch (error) {
      // An `api` error here means this tenant does not offer the handle flow for this file; the
      // multipart mode is the documented alternative. Auth, permission and transient errors are
      // not about the mode, so they go to the caller.
      if (allowFallback && handleAttempt === 1 && isAshbyError(error) && error.kind === 'api') {
        const attached = await steps.attachMultipart(candidateId, file, callOptions);
        return { ...attached, mode: 'multipart', handleAttempts: handleAttempt };
      }
      throw error;
    }

    try {
      await steps.upload(handle, file, callOptions);
    } catch (error) {
      if (handleAttempt < maxHandleAttempts && isRetryableUploadError(error)) continue;
      throw error;
    }

    const attached = await steps.attach({ candidateId, resumeHandle: handle.handle }, callOptions);
    return { ...attached, mode: 'handle', handleAttempts: handleAttempt };
  }
}
