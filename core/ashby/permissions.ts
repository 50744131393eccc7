// Ashby API-key permissions: which permission each endpoint needs, how `apiKey.info` scope strings
// map to permission names, and which permissions each lifecycle event needs.
//
// Source: the "Requires the `<permission>` permission" line of each endpoint in Ashby's published
// OpenAPI document, and its `apiKey.info` example scopes (`jobs:read`, `candidates:read`).
import type { LifecycleEvent } from '../../shared/domain.js';
import { LIFECYCLE_EVENTS } from '../../shared/domain.js';

export const ASHBY_PERMISSIONS = [
  'apiKeysRead',
  'apiKeysWrite',
  'candidatesRead',
  'candidatesWrite',
  'jobsRead',
  'jobsWrite',
  'interviewsRead',
  'interviewsWrite',
  'hiringProcessMetadataRead',
  'hiringProcessMetadataWrite',
  'organizationRead',
  'organizationWrite',
  'offersRead',
  'offersWrite',
  'approvalsRead',
  'approvalsWrite',
  'reportsRead',
  'notetakerRead',
] as const;
export type AshbyPermission = (typeof ASHBY_PERMISSIONS)[number];

/** Permission required by each endpoint, as the published document states it. */
export const ENDPOINT_PERMISSIONS: Readonly<Record<string, AshbyPermission>> = {
  'apiKey.info': 'apiKeysRead',
  'webhook.info': 'apiKeysRead',
  'webhook.create': 'apiKeysWrite',
  'webhook.update': 'apiKeysWrite',
  'webhook.delete': 'apiKeysWrite',

  'candidate.info': 'candidatesRead',
  'candidate.list': 'candidatesRead',
  'candidate.search': 'candidatesRead',
  'candidate.listNotes': 'candidatesRead',
  'application.info': 'candidatesRead',
  'application.list': 'candidatesRead',
  'application.listHistory': 'candidatesRead',
  'applicationFeedback.list': 'candidatesRead',
  'file.info': 'candidatesRead',

  'candidate.create': 'candidatesWrite',
  'candidate.update': 'candidatesWrite',
  'candidate.addTag': 'candidatesWrite',
  'candidate.removeTag': 'candidatesWrite',
  'candidate.createNote': 'candidatesWrite',
  'candidate.uploadResume': 'candidatesWrite',
  'candidate.uploadFile': 'candidatesWrite',
  'candidate.anonymize': 'candidatesWrite',
  'application.create': 'candidatesWrite',
  'application.changeStage': 'candidatesWrite',
  'application.changeSource': 'candidatesWrite',
  'application.update': 'candidatesWrite',
  'application.transfer': 'candidatesWrite',
  'applicationForm.submit': 'candidatesWrite',
  'customField.setValue': 'candidatesWrite',
  'customField.setValues': 'candidatesWrite',
  'file.createFileUploadHandle': 'candidatesWrite',

  'job.info': 'jobsRead',
  'job.list': 'jobsRead',
  'job.search': 'jobsRead',
  'jobPosting.info': 'jobsRead',
  'jobPosting.list': 'jobsRead',
  'jobInterviewPlan.info': 'jobsRead',
  'job.create': 'jobsWrite',
  'job.update': 'jobsWrite',
  'job.setStatus': 'jobsWrite',

  'interviewPlan.list': 'interviewsRead',
  'interviewStage.list': 'interviewsRead',
  'interviewStage.info': 'interviewsRead',
  'interviewStageGroup.list': 'interviewsRead',

  'source.list': 'hiringProcessMetadataRead',
  'archiveReason.list': 'hiringProcessMetadataRead',
  'candidateTag.list': 'hiringProcessMetadataRead',
  'customField.list': 'hiringProcessMetadataRead',
  'candidateTag.create': 'hiringProcessMetadataWrite',

  'user.list': 'organizationRead',
  'user.search': 'organizationRead',
  'user.info': 'organizationRead',
};

/** Returns the permission an endpoint needs, or undefined for an endpoint not in the map. */
export function permissionForEndpoint(endpoint: string): AshbyPermission | undefined {
  return ENDPOINT_PERMISSIONS[endpoint.replace(/^\//, '')];
}

/**
 * Converts a scope string to a permission name. Accepts the `apiKey.info` form
 * (`candidates:write`, `hiringProcessMetadata:read`) and the permission form (`candidatesWrite`).
 * Returns undefined for a string that names no known permission.
 */
export function scopeToPermission(scope: string): AshbyPermission | undefined {
  const trimmed = scope.trim();
  const match = /^([A-Za-z]+)[:.](read|write)$/i.exec(trimmed);
  let candidate = trimmed;
  if (match) {
    const moduleName = match[1] ?? '';
    const access = (match[2] ?? '').toLowerCase();
    candidate = moduleName + (access === 'read' ? 'Read' : 'Write');
  }
  for (const permission of ASHBY_PERMISSIONS) {
    if (permission.toLowerCase() === candidate.toLowerCase()) return permission;
  }
  return undefined;
}

/** Converts a permission name to the scope form `apiKey.info` returns (`candidatesWrite` → `candidates:write`). */
export function permissionToScope(permission: AshbyPermission): string {
  const match = /^(.*)(Read|Write)$/.exec(permission);
  if (!match) return permission;
  return `${match[1]}:${(match[2] ?? '').toLowerCase()}`;
}

// Every event looks the candidate up (candidate.search), writes the candidate and application,
// reads the job's interview plan and its stages, and reads sources (for attribution on create) or
// archive reasons (for Archive).
const PUSH_PERMISSIONS: readonly AshbyPermission[] = [
  'candidatesRead',
  'candidatesWrite',
  'jobsRead',
  'interviewsRead',
  'hiringProcessMetadataRead',
];

/** Permissions each lifecycle event needs to run end to end. */
export const EVENT_PERMISSIONS: Readonly<Record<LifecycleEvent, readonly AshbyPermission[]>> = {
  shortlist: PUSH_PERMISSIONS,
  request_intro: PUSH_PERMISSIONS,
  complete_intro: PUSH_PERMISSIONS,
  archive: PUSH_PERMISSIONS,
  hire: PUSH_PERMISSIONS,
};

/** The health check (`apiKey.info`) needs this permission. */
export const HEALTH_CHECK_PERMISSION: AshbyPermission = 'apiKeysRead';

export interface EventPermissionCheck {
  event: LifecycleEvent;
  required: AshbyPermission[];
  missing: AshbyPermission[];
}

export interface PermissionCheck {
  /** Permissions the key has, from its scopes; scope strings that name no permission are left out. */
  granted: AshbyPermission[];
  /** One entry per enabled event, in lifecycle order. */
  events: EventPermissionCheck[];
  healthCheck: { required: AshbyPermission[]; missing: AshbyPermission[] };
  /** Union of every missing permission, in ASHBY_PERMISSIONS order. */
  missing: AshbyPermission[];
  ok: boolean;
}

/**
 * Compares a key's scopes (from `apiKey.info`) with what the enabled lifecycle events need, and
 * returns, per event, the permissions it needs and the ones the key lacks.
 */
export function checkPermissions(
  scopes: readonly string[],
  events: readonly LifecycleEvent[],
): PermissionCheck {
  const granted = new Set<AshbyPermission>();
  for (const scope of scopes) {
    const permission = scopeToPermission(scope);
    if (permission) granted.add(permission);
  }

  const enabled = new Set(events);
  const eventChecks: EventPermissionCheck[] = [];
  const missingAll = new Set<AshbyPermission>();
  for (const event of LIFECYCLE_EVENTS) {
    if (!enabled.has(event)) continue;
    const required = [...EVENT_PERMISSIONS[event]];
    const missing = required.filter((permission) => !granted.has(permission));
    for (const permission of missing) missingAll.add(permission);
    eventChecks.push({ event, required, missing });
  }

  const healthMissing = granted.has(HEALTH_CHECK_PERMISSION) ? [] : [HEALTH_CHECK_PERMISSION];
  for (const permission of healthMissing) missingAll.add(permission);

  const missing = ASHBY_PERMISSIONS.filter((permission) => missingAll.has(permission));
  return {
    granted: ASHBY_PERMISSIONS.filter((permission) => granted.has(permission)),
    events: eventChecks,
    healthCheck: { required: [HEALTH_CHECK_PERMISSION], missing: healthMissing },
    missing,
    ok: missing.length === 0,
  };
}
