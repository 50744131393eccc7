// Domain vocabulary shared by the engine, the store, the IPC contract and the renderer.
// Nothing here imports Node or Electron, so the renderer can use it too.
import { z } from 'zod';

/** Pipeline states of a Jack & Jill candidate, in the order a candidate normally moves through them. */
export const PIPELINE_STATES = [
  'shortlisted',
  'intro_requested',
  'intro_completed',
  'archived',
  'hired',
] as const;
export const PipelineState = z.enum(PIPELINE_STATES);
export type PipelineState = z.infer<typeof PipelineState>;

/** Lifecycle events the console pushes to Ashby; each is a per-client toggle. */
export const LIFECYCLE_EVENTS = [
  'shortlist',
  'request_intro',
  'complete_intro',
  'archive',
  'hire',
] as const;
export const LifecycleEvent = z.enum(LIFECYCLE_EVENTS);
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;

/** Display names of the lifecycle events, for messages the admin reads. */
export const LIFECYCLE_EVENT_LABELS: Record<LifecycleEvent, string> = {
  shortlist: 'Shortlist',
  request_intro: 'Request intro',
  complete_intro: 'Complete intro',
  archive: 'Archive',
  hire: 'Hire',
};

/** Shortlist is off by default: it fires for every surfaced candidate and floods Ashby with leads. */
export const DEFAULT_ENABLED_EVENTS: readonly LifecycleEvent[] = [
  'request_intro',
  'complete_intro',
  'archive',
  'hire',
];

/** The event that moves a candidate into each pipeline state. */
export const EVENT_FOR_STATE: Record<PipelineState, LifecycleEvent> = {
  shortlisted: 'shortlist',
  intro_requested: 'request_intro',
  intro_completed: 'complete_intro',
  archived: 'archive',
  hired: 'hire',
};

export const STATE_FOR_EVENT: Record<LifecycleEvent, PipelineState> = {
  shortlist: 'shortlisted',
  request_intro: 'intro_requested',
  complete_intro: 'intro_completed',
  archive: 'archived',
  hire: 'hired',
};

/** Connection health of one client's Ashby tenant. */
export const CLIENT_STATUSES = ['connected', 'needs_attention', 'disconnected', 'offline'] as const;
export const ClientStatus = z.enum(CLIENT_STATUSES);
export type ClientStatus = z.infer<typeof ClientStatus>;

/** The console's record of a candidate's presence in Ashby (the Ashby icon in the pipeline). */
export const ASHBY_LINK_STATUSES = ['unknown', 'linked', 'not_in_ashby', 'needs_attention'] as const;
export const AshbyLinkStatus = z.enum(ASHBY_LINK_STATUSES);
export type AshbyLinkStatus = z.infer<typeof AshbyLinkStatus>;

/**
 * A candidate's presence in Ashby as the screens show it. `in_ashby_not_on_job` is stored as
 * `not_in_ashby` with an Ashby candidate id: the person exists in Ashby but has no application on
 * the role's job. The store keeps the four link statuses; the query layer derives this one.
 */
export const ASHBY_DISPLAY_STATUSES = ['unknown', 'linked', 'in_ashby_not_on_job', 'not_in_ashby', 'needs_attention'] as const;
export const AshbyDisplayStatus = z.enum(ASHBY_DISPLAY_STATUSES);
export type AshbyDisplayStatus = z.infer<typeof AshbyDisplayStatus>;

/** Derives the display status from the stored link status and Ashby candidate id. */
export function ashbyDisplayStatusOf(status: AshbyLinkStatus, ashbyCandidateId: string | null): AshbyDisplayStatus {
  return status === 'not_in_ashby' && ashbyCandidateId !== null ? 'in_ashby_not_on_job' : status;
}

/** The origin of an outbox item. */
export const EVENT_ORIGINS = ['import', 'action', 'manual_push', 'bulk_push'] as const;
export const EventOrigin = z.enum(EVENT_ORIGINS);
export type EventOrigin = z.infer<typeof EventOrigin>;

/**
 * Outbox item statuses. `pending` items are runnable once `next_attempt_at` has passed;
 * `review` items wait for an admin; `paused` items belong to a disconnected client or a paused run.
 */
export const OUTBOX_STATUSES = [
  'pending',
  'running',
  'review',
  'paused',
  'needs_attention',
  'failed',
  'done',
  'discarded',
  'cancelled',
] as const;
export const OutboxStatus = z.enum(OUTBOX_STATUSES);
export type OutboxStatus = z.infer<typeof OutboxStatus>;

/** Background tasks shown on the Tasks screen. */
export const RUN_KINDS = ['bulk_push', 'link_resolution', 'import'] as const;
export const RunKind = z.enum(RUN_KINDS);
export type RunKind = z.infer<typeof RunKind>;

export const RUN_STATUSES = [
  'running',
  'paused',
  'cancelled',
  'completed',
  'completed_with_failures',
  'failed',
] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;
