import { z } from 'zod';

import { AshbyError } from '../errors.js';
import { opaqueToken } from '../ids.js';
import type { StoredCandidate, StoredFileHandle, StoredUpload } from '../model.js';
import { candidateShape } from '../shapes.js';
import { touch } from '../tenant.js';
import {
  parseJson,
  requireCandidate,
  uuidParam,
  visibleApplicationIds,
  type ApiContext,
  type EndpointDefinition,
} from './common.js';

/** Presigned upload URLs are valid for 10 minutes (Ashby's file.createFileUploadHandle description). */
export const UPLOAD_URL_TTL_MS = 10 * 60 * 1000;

/** Path prefix of the sandbox's stand-in for the storage service that presigned URLs point at. */
export const UPLOAD_PATH_PREFIX = '/_uploads/';
/** Name under which uploads to presigned URLs are counted and can be given faults. */
export const UPLOAD_ENDPOINT = 'file.upload';

/** Form fields a presigned POST must repeat; the sandbox checks each one like a storage policy would. */
export function uploadFields(upload: StoredUpload): Record<string, string> {
  return {
    key: `resumes/${upload.handle}`,
    'Content-Type': upload.contentType,
    policy: Buffer.from(JSON.stringify({ handle: upload.handle, length: upload.contentLength })).toString('base64'),
    'x-amz-signature': upload.token.slice(0, 32),
  };
}

const createFileUploadHandle: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    const input = parseJson(
      z.object({
        fileUploadContext: z.enum(['CandidateResume', 'CandidateFiles', 'ApplicationForm']),
        filename: z.string().min(1),
        contentType: z.string().min(1),
        contentLength: z.number().int().nonnegative(),
      }),
      body,
    );
    const upload: StoredUpload = {
      handle: opaqueToken(32),
      token: opaqueToken(48),
      tenantId: context.tenant.id,
      context: input.fileUploadContext,
      filename: input.filename,
      contentType: input.contentType,
      contentLength: input.contentLength,
      expiresAt: context.nowMs + UPLOAD_URL_TTL_MS,
      receivedBytes: null,
      consumed: false,
    };
    context.uploads.add(upload);
    return {
      results: {
        handle: upload.handle,
        url: `${context.baseUrl}${UPLOAD_PATH_PREFIX}${upload.token}`,
        fields: uploadFields(upload),
      },
    };
  },
};

function attachResume(context: ApiContext, candidate: StoredCandidate, filename: string): Record<string, unknown> {
  const file: StoredFileHandle = { id: context.newId(), name: filename, handle: opaqueToken(24) };
  candidate.resume = file;
  candidate.files.push(file);
  // NOTE: Ashby parses the resume and fills empty candidate fields from it; the sandbox stores the file only.
  touch(context.tenant, candidate, context.nowIso);
  return candidateShape(context.tenant, candidate, visibleApplicationIds(context, candidate));
}

// NOTE: Ashby documents no error codes for a bad resume handle; the sandbox uses `invalid_input`.
function resumeFromHandle(context: ApiContext, handle: string): StoredUpload {
  const upload = context.uploads.byHandle(handle);
  if (!upload || upload.tenantId !== context.tenant.id) {
    throw new AshbyError('invalid_input', `resumeHandle ${handle} is not a file upload handle of this organisation.`);
  }
  if (upload.context !== 'CandidateResume') {
    throw new AshbyError(
      'invalid_input',
      `resumeHandle ${handle} was created for ${upload.context}; create it with fileUploadContext CandidateResume.`,
    );
  }
  if (upload.receivedBytes === null) {
    throw new AshbyError('invalid_input', `No file was uploaded for resumeHandle ${handle}. Upload it to the URL first.`);
  }
  return upload;
}

const uploadResume: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: true,
  writes: true,
  handle(context, body) {
    if (body.kind === 'multipart') {
      // Deprecated mode: the file travels in the `resume` part of a multipart form.
      const candidateId = body.fields['candidateId'];
      const resume = body.files.find((file) => file.field === 'resume');
      if (candidateId === undefined || !uuidParam.safeParse(candidateId).success) {
        throw new AshbyError('invalid_input', 'Invalid request: candidateId: required and must be a UUID.');
      }
      if (!resume) throw new AshbyError('invalid_input', 'Invalid request: resume: a file part named resume is required.');
      const candidate = requireCandidate(context, candidateId);
      return { results: attachResume(context, candidate, resume.filename) };
    }

    const input = parseJson(z.object({ candidateId: uuidParam, resumeHandle: z.string().min(1) }), body);
    const candidate = requireCandidate(context, input.candidateId);
    const upload = resumeFromHandle(context, input.resumeHandle);
    upload.consumed = true;
    return { results: attachResume(context, candidate, upload.filename) };
  },
};

export const fileEndpoints: Record<string, EndpointDefinition> = {
  'file.createFileUploadHandle': createFileUploadHandle,
  'candidate.uploadResume': uploadResume,
};
