// Words and colours shared by the screens for the domain's states.
import type { ClientStatus, LifecycleEvent, PipelineState, RunKind, RunStatus } from '../../../shared/domain.js';
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

export const EVENT_LABELS: Record<LifecycleEvent, string> = {
  shortlist: 'Shortlist',
  request_intro: 'Request intro',
  complete_intro: 'Complete intro',
  archive: 'Archive',
  hire: 'Hire',
};

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
