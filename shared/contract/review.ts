// Channels of the Review screen: pushes waiting in the queue with what each will do in Ashby and
// why it waits, and the admin's decisions on them (approve, discard with a reason, fix an email
// or LinkedIn URL first). Everything here reads local data, so it works with no network.
import { z } from 'zod';
import { LifecycleEvent, OutboxStatus } from '../domain.js';
import type { ChannelMap } from './define.js';

const Id = z.number().int().positive();

/** Wait reason of a queue item, as the Review screen groups items. */
export const WAIT_REASONS = [
  'offline',
  'review_before_push',
  'possible_duplicate',
  'archived_in_ashby',
  'needs_attention',
  'disconnected',
  'queued',
] as const;
export const WaitReason = z.enum(WAIT_REASONS);
export type WaitReason = z.infer<typeof WaitReason>;

export const PLANNED_EFFECT_KINDS = [
  'create_candidate',
  'link_existing',
  'advance',
  'archive',
  'unchanged',
  'revive_archived',
  'nothing',
  'blocked',
  'done',
] as const;

export const PlannedEffectView = z.object({
  kind: z.enum(PLANNED_EFFECT_KINDS),
  /** The expected change in Ashby in one sentence, from local data only. */
  summary: z.string(),
  stageTitle: z.string().nullable(),
  jobTitle: z.string().nullable(),
  source: z.string().nullable(),
  archiveReason: z.string().nullable(),
  ashbyCandidateId: z.string().nullable(),
  notes: z.array(z.string()),
});
export type PlannedEffectView = z.infer<typeof PlannedEffectView>;

export const ReviewItem = z.object({
  id: Id,
  clientId: Id,
  clientName: z.string(),
  roleId: Id,
  roleTitle: z.string(),
  candidateId: Id,
  candidateName: z.string(),
  email: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  event: LifecycleEvent,
  status: OutboxStatus,
  waitReason: WaitReason,
  /** Engine's message for why the item waits, or null for an item simply queued. */
  reason: z.string().nullable(),
  reasonCode: z.string().nullable(),
  effect: PlannedEffectView,
  /** True when approving applies (the item waits in review). */
  approvable: z.boolean(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  queuedAt: z.string(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const ReviewList = z.object({
  items: z.array(ReviewItem),
  /** True when more items match than the list contains. */
  truncated: z.boolean(),
  /** Clients whose Ashby cannot be reached at the moment. */
  offlineClientIds: z.array(Id),
});
export type ReviewList = z.infer<typeof ReviewList>;

export const ReviewDecision = z.object({
  changed: z.array(Id),
  skipped: z.array(z.object({ id: Id, reason: z.string() })),
});
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** Status of an approved or retried item after a short wait for the engine to send it. */
export const ItemOutcome = z.object({
  id: Id,
  candidateName: z.string(),
  /** `pending` or `running` when the engine had not finished with the item before the reply. */
  status: OutboxStatus,
  reason: z.string().nullable(),
});
export type ItemOutcome = z.infer<typeof ItemOutcome>;

export const SendDecision = ReviewDecision.extend({ outcomes: z.array(ItemOutcome) });
export type SendDecision = z.infer<typeof SendDecision>;

export const reviewChannels = {
  /** Open queue items, oldest first, of one client or all of them. */
  'review:list': {
    input: z.strictObject({ clientId: Id.nullable().optional() }),
    output: ReviewList,
  },
  /**
   * Approves the given items, or with `allOfClient` every item of that client in review, and
   * reports the status of each after a short wait for the engine to send it.
   */
  'review:approve': {
    input: z.strictObject({
      ids: z.array(Id).max(10_000).optional(),
      allOfClient: Id.optional(),
    }),
    output: SendDecision,
  },
  /** Sends needs-attention or failed items again and reports the status of each, as approve does. */
  'review:retry': {
    input: z.strictObject({ ids: z.array(Id).min(1).max(10_000) }),
    output: SendDecision,
  },
  /** Discards items so they are never sent; the audit log keeps the reason. */
  'review:discard': {
    input: z.strictObject({
      ids: z.array(Id).min(1).max(10_000),
      reason: z.string().trim().min(1, 'Say why these pushes should not be sent.').max(500),
    }),
    output: ReviewDecision,
  },
  /** Corrects a candidate's email or LinkedIn URL before approving; null clears the field. */
  'review:editCandidate': {
    input: z.strictObject({
      candidateId: Id,
      email: z.string().max(320).nullable(),
      linkedinUrl: z.string().max(500).nullable(),
    }),
    output: z.object({ candidateId: Id, email: z.string().nullable(), linkedinUrl: z.string().nullable() }),
  },
} satisfies ChannelMap;
