// Maps HTTP responses and fetch failures to the Ashby error union. Pure functions, so each rule
// is unit-tested without a server.
import { ErrorEnvelope } from './schemas.js';
import type { AshbyError, AshbyErrorContext } from './errors.js';
import {
  AshbyApiError,
  AshbyAuthError,
  AshbyInvalidResponseError,
  AshbyOutcomeUnknownError,
  AshbyPermissionError,
  AshbyRateLimitError,
  AshbyTransientError,
  missingPermission,
} from './errors.js';

export const REQUEST_ID_HEADER = 'x-ashby-request-id';
export const RATE_LIMIT_SCOPE_HEADER = 'x-ratelimit-scope';
export const PARTNER_SCOPE = 'integration-partner';
export const MISSING_PERMISSION_CODE = 'missing_endpoint_permission';

/**
 * Parses a `Retry-After` value (delay in seconds, or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined for a missing or unreadable value; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export function isPartnerScope(headers: Headers): boolean {
  return (headers.get(RATE_LIMIT_SCOPE_HEADER) ?? '').trim().toLowerCase() === PARTNER_SCOPE;
}

interface ParsedBody {
  json: unknown;
  isJson: boolean;
}

function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { json: undefined, isJson: false };
  try {
    return { json: JSON.parse(text) as unknown, isJson: true };
  } catch {
    return { json: undefined, isJson: false };
  }
}

interface ErrorDetails {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
  meta: unknown;
}

/** Reads `errorInfo` first and falls back to `errors[0]`, which may be a string or an object. */
export function readErrorDetails(body: unknown): ErrorDetails {
  const parsed = ErrorEnvelope.safeParse(body);
  const details: ErrorDetails = { code: undefined, message: undefined, requestId: undefined, meta: undefined };
  if (!parsed.success) {
    // A partial envelope (e.g. `success` missing) may still carry errorInfo.
    if (body && typeof body === 'object' && 'errorInfo' in body) {
      const info = (body as { errorInfo?: unknown }).errorInfo;
      if (info && typeof info === 'object') {
        const { code, message, requestId } = info as Record<string, unknown>;
        details.code = typeof code === 'string' ? code : undefined;
        details.message = typeof message === 'string' ? message : undefined;
        details.requestId = typeof requestId === 'string' ? requestId : undefined;
      }
    }
    return details;
  }
  const envelope = parsed.data;
  if (envelope.errorInfo) {
    details.code = envelope.errorInfo.code;
    details.message = envelope.errorInfo.message ?? undefined;
    details.requestId = envelope.errorInfo.requestId ?? undefined;
    details.meta = envelope.errorInfo.meta;
  }
  const first = envelope.errors?.[0];
  if (typeof first === 'string') {
    details.code ??= first;
  } else if (first && typeof first === 'object') {
    const entry = first as Record<string, unknown>;
    const code = typeof entry.code === 'string' ? entry.code : undefined;
    const message = typeof entry.message === 'string' ? entry.message : undefined;
    details.code ??= code ?? message;
    details.message ??= message;
  }
  return details;
}

export interface ResponseContext {
  endpoint: string;
  label?: string | undefined;
  /** True for calls that change data in Ashby. */
  isWrite: boolean;
  attempts?: number | undefined;
  nowMs: number;
}

export type ResponseClassification =
  | { ok: true; body: unknown; requestId: string | undefined }
  | { ok: false; error: AshbyError };

/**
 * Classifies an HTTP response. A JSON `success: true` body is returned as is, for the caller to
 * validate against the endpoint's schema. Everything else becomes an error of the union.
 */
export function classifyResponse(
  status: number,
  headers: Headers,
  bodyText: string,
  context: ResponseContext,
): ResponseClassification {
  const { json, isJson } = parseBody(bodyText);
  const details = isJson ? readErrorDetails(json) : undefined;
  const requestId = headers.get(REQUEST_ID_HEADER) ?? details?.requestId ?? undefined;
  const errorContext: AshbyErrorContext = {
    endpoint: context.endpoint,
    label: context.label,
    requestId,
    status,
    attempts: context.attempts,
  };
  const textMessage = isJson ? details?.message : bodyText.trim().slice(0, 300) || undefined;
  const mentionsMissingPermission =
    details?.code === MISSING_PERMISSION_CODE || (!isJson && bodyText.includes(MISSING_PERMISSION_CODE));

  if (status === 401) {
    return { ok: false, error: new AshbyAuthError('missing_key', errorContext, textMessage) };
  }
  if (status === 403) {
    if (mentionsMissingPermission) {
      const permission = missingPermission(context.endpoint, textMessage);
      return { ok: false, error: new AshbyPermissionError(errorContext, permission, textMessage) };
    }
    return { ok: false, error: new AshbyAuthError('key_rejected', errorContext, textMessage) };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), context.nowMs);
    return { ok: false, error: new AshbyRateLimitError(errorContext, retryAfterMs, isPartnerScope(headers)) };
  }
  if (status >= 500) {
    // A gateway error on a write may come after Ashby applied it; a plain server error is taken
    // at its word that the request failed.
    if (context.isWrite && (status === 502 || status === 504)) {
      return { ok: false, error: new AshbyOutcomeUnknownError('gateway_error', errorContext, textMessage) };
    }
    return { ok: false, error: new AshbyTransientError('server_error', errorContext, textMessage) };
  }
  if (status < 200 || status >= 300) {
    const ashbyCode = details?.code ?? `http_${status}`;
    return { ok: false, error: new AshbyApiError({ ashbyCode, ashbyMessage: textMessage, meta: details?.meta }, errorContext) };
  }

  if (!isJson) {
    const detail = bodyText.trim() === '' ? 'empty body' : 'body is not JSON';
    return { ok: false, error: new AshbyInvalidResponseError(errorContext, `${detail} (HTTP ${status})`) };
  }
  const success = json && typeof json === 'object' ? (json as { success?: unknown }).success : undefined;
  if (success === true) return { ok: true, body: json, requestId };
  if (success === false) {
    if (mentionsMissingPermission) {
      const permission = missingPermission(context.endpoint, details?.message);
      return { ok: false, error: new AshbyPermissionError(errorContext, permission, details?.message) };
    }
    const ashbyCode = details?.code ?? 'unknown_error';
    return {
      ok: false,
      error: new AshbyApiError({ ashbyCode, ashbyMessage: details?.message, meta: details?.meta }, errorContext),
    };
  }
  return { ok: false, error: new AshbyInvalidResponseError(errorContext, 'no boolean `success` field in the body') };
}

// Network error codes that mean the request never left this machine, so even a write is safe to
// report as a plain transient failure.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Collects `code` values from an error and its `cause` chain (undici wraps socket errors). */
export function networkErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) codes.push(...nested.flatMap((inner) => networkErrorCodes(inner)));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function describeNetworkError(error: unknown): string {
  const codes = networkErrorCodes(error);
  if (codes.length > 0) return codes[0] ?? 'network error';
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export interface FailureContext {
  endpoint: string;
  label?: string | undefined;
  isWrite: boolean;
  attempts?: number | undefined;
  /** True when the client's own per-attempt timeout fired. */
  timedOut: boolean;
  timeoutMs: number;
}

/** Classifies a fetch that produced no usable response: a timeout or a network failure. */
export function classifyFailure(error: unknown, context: FailureContext): AshbyError {
  const errorContext: AshbyErrorContext = {
    endpoint: context.endpoint,
    label: context.label,
    attempts: context.attempts,
  };
  if (context.timedOut) {
    const detail = `no response within ${context.timeoutMs} ms`;
    if (context.isWrite) return new AshbyOutcomeUnknownError('timeout', errorContext, detail, error);
    return new AshbyTransientError('timeout', errorContext, detail, error);
  }
  const detail = describeNetworkError(error);
  const neverSent = networkErrorCodes(error).some((code) => NOT_SENT_CODES.has(code));
  if (context.isWrite && !neverSent) {
    return new AshbyOutcomeUnknownError('connection_lost', errorContext, detail, error);
  }
  return new AshbyTransientError('network', errorContext, detail, error);
}
