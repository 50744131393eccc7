// One error model for every Ashby call: a class per kind, each with a `kind` discriminant and a
// stable `code` the UI maps to a title and an action. `AshbyError` is the union of all of them.
import type { z } from 'zod';
import type { AshbyPermission } from './permissions.js';
import { ASHBY_PERMISSIONS, permissionForEndpoint } from './permissions.js';

export type AshbyErrorKind =
  | 'api'
  | 'auth'
  | 'permission'
  | 'rate_limit'
  | 'transient'
  | 'outcome_unknown'
  | 'invalid_response'
  | 'cancelled';

export interface AshbyErrorContext {
  /** Endpoint name without the leading slash, e.g. `candidate.create`. */
  endpoint: string;
  /** Human name of the tenant (client organisation) the key belongs to, for messages. */
  label?: string | undefined;
  /** `x-ashby-request-id` response header, or `errorInfo.requestId` when the header is absent. */
  requestId?: string | undefined;
  /** HTTP status, when a response arrived. */
  status?: number | undefined;
  /** Attempts made, counting the one that produced this error. */
  attempts?: number | undefined;
}

function forLabel(label: string | undefined): string {
  return label ? ` for ${label}` : '';
}

function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}

export abstract class AshbyErrorBase extends Error {
  abstract readonly kind: AshbyErrorKind;
  abstract readonly code: string;
  /** True when running the same request again later can succeed without any change. */
  abstract readonly retryable: boolean;
  readonly endpoint: string;
  readonly label: string | undefined;
  readonly requestId: string | undefined;
  readonly status: number | undefined;
  attempts: number;

  constructor(message: string, context: AshbyErrorContext, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.endpoint = context.endpoint;
    this.label = context.label;
    this.requestId = context.requestId;
    this.status = context.status;
    this.attempts = context.attempts ?? 1;
  }
}

/** Ashby returned `success: false` (HTTP 200), or a 4xx status other than 401/403/429. */
export class AshbyApiError extends AshbyErrorBase {
  readonly kind = 'api' as const;
  readonly code = 'ashby_api_error';
  readonly retryable = false;
  /** `errorInfo.code`, else the first `errors[]` entry, else `http_<status>`. */
  readonly ashbyCode: string;
  readonly ashbyMessage: string | undefined;
  readonly meta: unknown;

  constructor(
    details: { ashbyCode: string; ashbyMessage?: string | undefined; meta?: unknown },
    context: AshbyErrorContext,
  ) {
    const detail = details.ashbyMessage ? `: ${details.ashbyMessage}` : '';
    super(
      `Ashby returned ${details.ashbyCode} for ${context.endpoint}${forLabel(context.label)}${detail}`,
      context,
    );
    this.ashbyCode = details.ashbyCode;
    this.ashbyMessage = details.ashbyMessage;
    this.meta = details.meta;
  }
}

export type AuthSituation = 'missing_key' | 'key_rejected';

/** HTTP 401 (no key reached Ashby) or 403 (the key is unknown, revoked or disabled). */
export class AshbyAuthError extends AshbyErrorBase {
  readonly kind = 'auth' as const;
  readonly code: 'ashby_missing_key' | 'ashby_key_rejected';
  readonly retryable = false;
  readonly situation: AuthSituation;
  readonly serverMessage: string | undefined;

  constructor(situation: AuthSituation, context: AshbyErrorContext, serverMessage?: string) {
    const status = context.status ?? (situation === 'missing_key' ? 401 : 403);
    const message =
      situation === 'missing_key'
        ? `Ashby received no API key${forLabel(context.label)} (HTTP ${status}); add the key in the connection settings`
        : `Ashby rejected the API key${forLabel(context.label)} (HTTP ${status}); the key may be revoked or mistyped`;
    super(message, context);
    this.situation = situation;
    this.code = situation === 'missing_key' ? 'ashby_missing_key' : 'ashby_key_rejected';
    this.serverMessage = serverMessage;
  }
}

/** The key is valid but lacks the module permission the endpoint needs (`missing_endpoint_permission`). */
export class AshbyPermissionError extends AshbyErrorBase {
  readonly kind = 'permission' as const;
  readonly code = 'ashby_missing_permission';
  readonly retryable = false;
  /** The missing permission, when Ashby's message or the endpoint map names it. */
  readonly permission: AshbyPermission | undefined;
  readonly serverMessage: string | undefined;

  constructor(context: AshbyErrorContext, permission: AshbyPermission | undefined, serverMessage?: string) {
    const missing = permission ? `missing permission ${permission}` : 'missing permission';
    const tenant = context.label ? ` (${context.label})` : '';
    super(`${missing} for ${context.endpoint}${tenant}`, context);
    this.permission = permission;
    this.serverMessage = serverMessage;
  }
}

/** HTTP 429. `partnerScope` is set when Ashby throttles the integration partner's combined traffic. */
export class AshbyRateLimitError extends AshbyErrorBase {
  readonly kind = 'rate_limit' as const;
  readonly code = 'ashby_rate_limited';
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;
  readonly partnerScope: boolean;

  constructor(context: AshbyErrorContext, retryAfterMs: number | undefined, partnerScope: boolean) {
    const scope = partnerScope ? 'integration-partner rate limit' : 'rate limit';
    const wait = retryAfterMs === undefined ? '' : `; retry after ${seconds(retryAfterMs)}`;
    super(
      `Ashby ${scope} reached on ${context.endpoint}${forLabel(context.label)} (HTTP 429)${wait}`,
      context,
    );
    this.retryAfterMs = retryAfterMs;
    this.partnerScope = partnerScope;
  }
}

export type TransientReason = 'server_error' | 'timeout' | 'network';

/** A failure unrelated to the request's content: 5xx, a timeout or a network failure. */
export class AshbyTransientError extends AshbyErrorBase {
  readonly kind = 'transient' as const;
  readonly code: 'ashby_server_error' | 'ashby_timeout' | 'ashby_network_error';
  readonly retryable = true;
  readonly reason: TransientReason;

  constructor(reason: TransientReason, context: AshbyErrorContext, detail?: string, cause?: unknown) {
    const suffix = detail ? `: ${detail}` : '';
    let message: string;
    if (reason === 'server_error') {
      message = `Ashby returned HTTP ${context.status ?? '5xx'} for ${context.endpoint}${forLabel(context.label)}${suffix}`;
    } else if (reason === 'timeout') {
      message = `${context.endpoint}${forLabel(context.label)} timed out${suffix}`;
    } else {
      message = `Could not reach Ashby for ${context.endpoint}${forLabel(context.label)}${suffix}`;
    }
    super(message, context, { cause });
    this.reason = reason;
    this.code =
      reason === 'server_error'
        ? 'ashby_server_error'
        : reason === 'timeout'
          ? 'ashby_timeout'
          : 'ashby_network_error';
  }
}

export type OutcomeUnknownReason = 'timeout' | 'connection_lost' | 'gateway_error';

/**
 * A write whose request may have reached Ashby but whose response was lost. The write may or may
 * not have been applied, so the caller must look in Ashby before repeating it.
 */
export class AshbyOutcomeUnknownError extends AshbyErrorBase {
  readonly kind = 'outcome_unknown' as const;
  readonly code = 'ashby_outcome_unknown';
  readonly retryable = false;
  readonly reason: OutcomeUnknownReason;

  constructor(reason: OutcomeUnknownReason, context: AshbyErrorContext, detail?: string, cause?: unknown) {
    const failure =
      reason === 'timeout'
        ? 'timed out'
        : reason === 'gateway_error'
          ? `failed at a gateway (HTTP ${context.status ?? '5xx'})`
          : 'lost its connection';
    const suffix = detail ? ` (${detail})` : '';
    super(
      `${context.endpoint}${forLabel(context.label)} ${failure} after the request was sent${suffix}; ` +
        'Ashby may or may not have applied it, so check Ashby before repeating it',
      context,
      { cause },
    );
    this.reason = reason;
  }
}

/** The response did not match the expected shape (not JSON, or a schema mismatch). */
export class AshbyInvalidResponseError extends AshbyErrorBase {
  readonly kind = 'invalid_response' as const;
  readonly code = 'ashby_invalid_response';
  readonly retryable = false;
  readonly issues: z.core.$ZodIssue[];

  constructor(context: AshbyErrorContext, detail: string, issues: z.core.$ZodIssue[] = []) {
    super(`Ashby returned an unexpected response for ${context.endpoint}${forLabel(context.label)}: ${detail}`, context);
    this.issues = issues;
  }
}

/** The caller aborted the call through its AbortSignal. */
export class AshbyCancelledError extends AshbyErrorBase {
  readonly kind = 'cancelled' as const;
  readonly code = 'ashby_cancelled';
  readonly retryable = false;
  /** True for a write cancelled after it was sent: Ashby may have applied it anyway. */
  readonly writeMayHaveApplied: boolean;

  constructor(context: AshbyErrorContext, options: { writeMayHaveApplied?: boolean } = {}) {
    const note = options.writeMayHaveApplied ? ' after it was sent; Ashby may have applied it' : '';
    super(`${context.endpoint}${forLabel(context.label)} was cancelled${note}`, context);
    this.writeMayHaveApplied = options.writeMayHaveApplied ?? false;
  }
}

export type AshbyError =
  | AshbyApiError
  | AshbyAuthError
  | AshbyPermissionError
  | AshbyRateLimitError
  | AshbyTransientError
  | AshbyOutcomeUnknownError
  | AshbyInvalidResponseError
  | AshbyCancelledError;

export function isAshbyError(error: unknown): error is AshbyError {
  return error instanceof AshbyErrorBase;
}

/** Formats the first few zod issues as `path: message` for an error message. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], max = 3): string {
  const described = issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : '';
  return described.join('; ') + more;
}

/** Finds a permission name inside a server message such as "requires the candidatesWrite permission". */
export function permissionNamedIn(text: string | undefined): AshbyPermission | undefined {
  if (!text) return undefined;
  // Longest names first, so `candidatesWrite` wins over a shorter name it contains.
  const byLength = [...ASHBY_PERMISSIONS].sort((a, b) => b.length - a.length);
  for (const permission of byLength) {
    if (text.includes(permission)) return permission;
  }
  return undefined;
}

/** Returns the permission to report for a `missing_endpoint_permission` error on `endpoint`. */
export function missingPermission(endpoint: string, serverMessage?: string): AshbyPermission | undefined {
  return permissionNamedIn(serverMessage) ?? permissionForEndpoint(endpoint);
}
