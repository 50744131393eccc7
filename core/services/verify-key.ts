// Verifies an Ashby API key before it is stored: `apiKey.info` must answer, and the key must hold
// every permission the client's enabled lifecycle events need. The result lists each permission
// per event, ticked or missing, so the connect screen and the CLI can show exactly what to grant.
import type { LifecycleEvent } from '../../shared/domain.js';
import {
  checkPermissions,
  EVENT_PERMISSIONS,
  HEALTH_CHECK_PERMISSION,
  isAshbyError,
  type AshbyPermission,
  type PermissionCheck,
} from '../ashby/index.js';
import type { Services } from './context.js';

export type KeyProblem = 'invalid_base_url' | 'key_rejected' | 'missing_permissions' | 'unreachable' | 'ashby_error';

/** One required permission of one enabled event (or of the connection check itself). */
export interface PermissionLine {
  event: LifecycleEvent | 'connection_check';
  permission: AshbyPermission;
  granted: boolean;
}

export interface KeyVerification {
  ok: boolean;
  problem: KeyProblem | null;
  /** One or two sentences: what was found and what to do next. */
  message: string;
  keyTitle: string | null;
  scopes: string[];
  checklist: PermissionLine[];
  /** Enabled events that lack permissions, with the missing ones. */
  missingByEvent: { event: LifecycleEvent; missing: AshbyPermission[] }[];
  permissions: PermissionCheck | null;
}

export interface VerifyKeyInput {
  baseUrl: string;
  apiKey: string;
  events: readonly LifecycleEvent[];
  /** Client name used in messages. Default "this client". */
  label?: string;
}

/** Returns the base URL without a trailing slash, or null when it is not an http(s) URL. */
export function normalizeBaseUrl(baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.toString().replace(/\/+$/, '');
}

function checklistFor(permissions: PermissionCheck | null, events: readonly LifecycleEvent[], granted: ReadonlySet<string>): PermissionLine[] {
  const lines: PermissionLine[] = [
    { event: 'connection_check', permission: HEALTH_CHECK_PERMISSION, granted: granted.has(HEALTH_CHECK_PERMISSION) },
  ];
  if (permissions !== null) {
    for (const event of permissions.events) {
      for (const permission of event.required) lines.push({ event: event.event, permission, granted: !event.missing.includes(permission) });
    }
    return lines;
  }
  for (const event of events) {
    for (const permission of EVENT_PERMISSIONS[event]) lines.push({ event, permission, granted: granted.has(permission) });
  }
  return lines;
}

// The Ashby client's message already names the endpoint and the client ("Could not reach Ashby for
// apiKey.info for Acme Health: ECONNREFUSED"), so only what follows them is kept.
function reachFailureCause(error: { message: string; endpoint: string; label: string | undefined }): string {
  const subject = `${error.endpoint}${error.label ? ` for ${error.label}` : ''}`;
  const at = error.message.indexOf(subject);
  if (at === -1) return error.message;
  const cause = error.message.slice(at + subject.length).replace(/^:\s*/, '').trim();
  return cause === '' ? error.message : cause;
}

/** Describes what each enabled event lacks, e.g. "request_intro needs candidatesWrite". */
export function describeMissing(missingByEvent: KeyVerification['missingByEvent']): string {
  return missingByEvent.map((entry) => `${entry.event} needs ${entry.missing.join(', ')}`).join('; ');
}

/**
 * Calls `apiKey.info` with the key and checks its scopes against the enabled events. Never throws
 * for an Ashby or network failure: the result's `problem` and `message` describe it.
 */
export async function verifyApiKey(services: Services, input: VerifyKeyInput): Promise<KeyVerification> {
  const label = input.label ?? 'this client';
  const failed = (problem: KeyProblem, message: string, checklist: PermissionLine[] = []): KeyVerification => ({
    ok: false,
    problem,
    message,
    keyTitle: null,
    scopes: [],
    checklist,
    missingByEvent: [],
    permissions: null,
  });

  const baseUrl = normalizeBaseUrl(input.baseUrl);
  if (baseUrl === null) {
    return failed('invalid_base_url', `"${input.baseUrl}" is not an http(s) URL. Use https://api.ashbyhq.com for Ashby.`);
  }
  const apiKey = input.apiKey.trim();
  if (apiKey === '') return failed('key_rejected', `No API key was given for ${label}. Paste the key from Ashby's API key settings.`);

  const ashby = services.ashbyClient({ baseUrl, apiKey, label, quick: true });
  let info;
  try {
    info = (await ashby.apiKey.info()).results;
  } catch (error) {
    if (!isAshbyError(error)) throw error;
    if (error.kind === 'auth') {
      return failed(
        'key_rejected',
        `Ashby rejected the API key for ${label} (HTTP ${error.status ?? 403}): the key is mistyped, revoked or disabled. ` +
          'Copy the key again from Ashby, or create a new one, and retry.',
      );
    }
    if (error.kind === 'permission') {
      // apiKey.info itself needs apiKeysRead, so the key's other scopes cannot be read.
      return failed(
        'missing_permissions',
        `The API key for ${label} lacks ${HEALTH_CHECK_PERMISSION}, which the connection check (apiKey.info) needs, ` +
          'so its other permissions cannot be read. Grant it in Ashby and retry.',
        checklistFor(null, input.events, new Set()),
      );
    }
    if (error.kind === 'transient' || error.kind === 'outcome_unknown' || error.kind === 'cancelled') {
      return failed('unreachable', `Could not reach Ashby at ${baseUrl} for ${label}: ${reachFailureCause(error)}. Check the base URL and the network, then retry.`);
    }
    return failed('ashby_error', `Ashby could not check the key for ${label}: ${error.message}.`);
  }

  const scopes = [...info.scopes];
  const permissions = checkPermissions(scopes, input.events);
  const missingByEvent = permissions.events
    .filter((event) => event.missing.length > 0)
    .map((event) => ({ event: event.event, missing: [...event.missing] }));
  const checklist = checklistFor(permissions, input.events, new Set(permissions.granted));
  const keyTitle = info.title ?? null;
  if (permissions.ok) {
    return {
      ok: true,
      problem: null,
      message: `The key "${keyTitle ?? 'untitled'}" works for ${label} and has every permission the enabled events need.`,
      keyTitle,
      scopes,
      checklist,
      missingByEvent,
      permissions,
    };
  }
  return {
    ok: false,
    problem: 'missing_permissions',
    message:
      `The key for ${label} lacks permissions: ${describeMissing(missingByEvent)}. ` +
      'Grant them to the key in Ashby, or turn those events off, then retry. Reads still work.',
    keyTitle,
    scopes,
    checklist,
    missingByEvent,
    permissions,
  };
}
