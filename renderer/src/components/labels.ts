// Words and colours shared by the screens for the domain's states.
import { LIFECYCLE_EVENT_LABELS, type ClientStatus, type LifecycleEvent, type PipelineState, type RunKind, type RunStatus } from '../../../shared/domain.js';
import type { AshbyDisplayStatus } from '../../../shared/domain.js';

export const CLIENT_STATUS_COLORS: Record<ClientStatus, string> = {
  connected: 'teal',
  needs_attention: 'yellow',
  disconnected: 'red',
  offline: 'gray',
};

export const CLIENT_STATUS_LABELS: Record<ClientStatus, string> = {
  connected: 'Connected',
  needs_attention: 'Needs attention',
  disconnected: 'Disconnected',
  offline: 'Offline',
};

export const STATE_LABELS: Record<PipelineState, string> = {
  shortlisted: 'Shortlisted',
  intro_requested: 'Intro requested',
  intro_completed: 'Intro completed',
  archived: 'Archived',
  hired: 'Hired',
};

export const EVENT_LABELS: Record<LifecycleEvent, string> = LIFECYCLE_EVENT_LABELS;

/** Where each event lands in Ashby, for the event toggles. */
export const EVENT_EFFECTS: Record<LifecycleEvent, string> = {
  shortlist: 'creates the candidate and an application at the first Lead stage',
  request_intro: 'creates or advances the application to Reached Out',
  complete_intro: 'creates or advances the application to the first Active stage',
  archive: "archives the application with the client's archive reason",
  hire: 'moves the application to Hired',
};

export const ASHBY_STATUS_LABELS: Record<AshbyDisplayStatus, string> = {
  linked: 'Linked to a candidate in Ashby',
  in_ashby_not_on_job: 'In Ashby, not on this job',
  not_in_ashby: 'Not in Ashby yet',
  needs_attention: 'Needs attention',
  unknown: 'Not checked yet (link the role to an Ashby job)',
};

export const ASHBY_STATUS_COLORS: Record<AshbyDisplayStatus, string> = {
  linked: 'violet',
  in_ashby_not_on_job: 'violet',
  not_in_ashby: 'gray',
  needs_attention: 'orange',
  unknown: 'gray',
};

export const RUN_KIND_LABELS: Record<RunKind, string> = {
  bulk_push: 'Bulk push',
  link_resolution: 'Link resolution',
  import: 'Import',
};

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running',
  paused: 'Paused',
  cancelled: 'Cancelled',
  completed: 'Completed',
  completed_with_failures: 'Completed with failures',
  failed: 'Failed',
};

export const RUN_STATUS_COLORS: Record<RunStatus, string> = {
  running: 'blue',
  paused: 'gray',
  cancelled: 'gray',
  completed: 'teal',
  completed_with_failures: 'yellow',
  failed: 'red',
};

/** Shown near every control that creates applications in Ashby. */
export const AUTOMATIONS_NOTE =
  'Ashby may not fire "application submitted" automations for applications created through the API, ' +
  'so automations the client relies on may need a manual trigger.';

export const SHORTLIST_NOTE =
  'Shortlist is off by default: it fires for every surfaced candidate and floods the client\'s Ashby ' +
  'with Lead-stage candidates that never progress.';

/**
 * Display names of the actions the activity log records. The log stores the raw names; a name
 * missing here is shown with its underscores and dots turned into spaces.
 */
const AUDIT_ACTION_LABELS: Record<string, string> = {
  application_created: 'Application created',
  application_moved: 'Application moved',
  archived: 'Archived in Ashby',
  hired: 'Hired in Ashby',
  ashby_error: 'Ashby error',
  bulk_push_started: 'Bulk push started',
  candidate_created: 'Candidate created',
  candidate_identity_edited: 'Email or LinkedIn edited',
  client_disconnected: 'Client disconnected',
  client_reconnected: 'Client reconnected',
  'client.disconnected': 'Client disconnected',
  'client.key_replaced': 'API key replaced',
  'client.tested': 'Connection tested',
  'demo.sandbox_restarted': 'Demo sandbox restarted',
  failed: 'Push failed',
  link_resolution: 'Link resolution',
  linked: 'Found in Ashby',
  manual_push: 'Manual push',
  'pipeline.action': 'Pipeline action',
  'pipeline.import': 'Pipeline import',
  resume_failed: 'Resume upload failed',
  resume_uploaded: 'Resume uploaded',
  retried: 'Retry requested',
  retry_scheduled: 'Retry scheduled',
  review: 'Waiting for review',
  review_approved: 'Approved in review',
  review_discarded: 'Discarded in review',
  role_linked: 'Role linked',
  role_unlinked: 'Role unlinked',
  run_cancelled: 'Bulk push cancelled',
  run_paused: 'Bulk push paused',
  run_resumed: 'Bulk push resumed',
  'settings.changed': 'Settings changed',
  skipped: 'Skipped',
  stage_override: 'Stage chosen',
};

const AUDIT_OUTCOME_LABELS: Record<string, string> = {
  ok: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  waiting: 'Waiting',
  unknown: 'Result unknown',
  created: 'Created',
  done: 'Done',
  state_changed: 'State changed',
  unchanged: 'Unchanged',
};

function humanize(raw: string): string {
  const words = raw.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Returns the display name of an activity-log action. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? humanize(action);
}

/** Returns the display name of an activity-log outcome. */
export function auditOutcomeLabel(outcome: string): string {
  return AUDIT_OUTCOME_LABELS[outcome] ?? humanize(outcome);
}
