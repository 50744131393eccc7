// Channels of the pipeline screen: one page of a role's candidates (search and filters run in
// SQLite, so the renderer never holds the whole role), the five pipeline actions, and a
// candidate's sync history from the audit log.
import { z } from 'zod';
import { AshbyDisplayStatus, AshbyLinkStatus, LifecycleEvent, PipelineState } from '../domain.js';
import type { ChannelMap } from './define.js';

/** Largest page the renderer may ask for. */
export const MAX_PIPELINE_PAGE = 500;

export const CandidateRow = z.object({
  id: z.number().int().positive(),
  externalId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  state: PipelineState,
  stateChangedAt: z.string(),
  ashbyStatus: AshbyLinkStatus,
  /** `ashbyStatus` as the screens show it: `in_ashby_not_on_job` is split from `not_in_ashby`. */
  ashbyDisplayStatus: AshbyDisplayStatus,
  /** Why the candidate needs attention, or what the console knows about the link. */
  ashbyStatusReason: z.string().nullable(),
  ashbyCandidateId: z.string().nullable(),
});
export type CandidateRow = z.infer<typeof CandidateRow>;

export const CandidatePage = z.object({
  items: z.array(CandidateRow),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
});
export type CandidatePage = z.infer<typeof CandidatePage>;

export const HistoryEntry = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  event: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
  message: z.string(),
  actor: z.string(),
  ashbyCandidateId: z.string().nullable(),
  ashbyApplicationId: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** A push of one candidate that stopped and waits for the admin (needs attention or failed). */
export const StoppedPush = z.object({
  id: z.number().int().positive(),
  event: LifecycleEvent,
  status: z.enum(['needs_attention', 'failed']),
  reason: z.string().nullable(),
  updatedAt: z.string(),
});
export type StoppedPush = z.infer<typeof StoppedPush>;

export const pipelineChannels = {
  'pipeline:candidates': {
    input: z.strictObject({
      roleId: z.number().int().positive(),
      search: z.string().max(200).optional(),
      states: z.array(PipelineState).optional(),
      /** Display statuses; `not_in_ashby` leaves out candidates found in Ashby without an application. */
      ashbyStatuses: z.array(AshbyDisplayStatus).optional(),
      offset: z.number().int().nonnegative(),
      limit: z.number().int().min(1).max(MAX_PIPELINE_PAGE),
    }),
    output: CandidatePage,
  },
  /** Takes a pipeline action; the matching lifecycle event is queued as an import would. */
  'pipeline:act': {
    input: z.strictObject({
      clientId: z.number().int().positive(),
      roleId: z.number().int().positive(),
      candidateId: z.number().int().positive(),
      action: LifecycleEvent,
    }),
    output: z.object({
      changed: z.boolean(),
      state: PipelineState,
      /** One sentence for the admin: what was queued and what it will do in Ashby. */
      message: z.string(),
    }),
  },
  /** The candidate's audit entries, newest first. */
  'pipeline:history': {
    input: z.strictObject({
      candidateId: z.number().int().positive(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.array(HistoryEntry),
  },
  /** The candidate's pushes that need attention or failed; `review:retry` sends them again. */
  'pipeline:stoppedPushes': {
    input: z.strictObject({ candidateId: z.number().int().positive() }),
    output: z.array(StoppedPush),
  },
} satisfies ChannelMap;
