// Channels that push candidates to Ashby: the plan behind the bulk-push confirmation, the bulk
// push itself (a background task), and a manual push of one candidate.
import { z } from 'zod';
import { LifecycleEvent, OutboxStatus } from '../domain.js';
import type { ChannelMap } from './define.js';

const RoleInput = z.strictObject({
  clientId: z.number().int().positive(),
  roleId: z.number().int().positive(),
});

export const BulkPushPlan = z.object({
  /** Candidates the push will send. */
  total: z.number().int().nonnegative(),
  byEvent: z.partialRecord(LifecycleEvent, z.number().int().nonnegative()),
  /** Candidates left out, grouped by why. */
  excluded: z.array(z.object({ reason: z.string(), count: z.number().int().nonnegative() })),
  /** Set when the push cannot start at all (role not linked, client disconnected). */
  blocked: z.string().nullable(),
});
export type BulkPushPlan = z.infer<typeof BulkPushPlan>;

export const pushChannels = {
  'push:plan': { input: RoleInput, output: BulkPushPlan },
  /** Starts a bulk push; `taskId` is null when there was nothing to push. */
  'push:bulkStart': {
    input: RoleInput,
    output: z.object({ taskId: z.number().int().positive().nullable(), total: z.number().int().nonnegative() }),
  },
  /**
   * Queues one candidate at the stage matching their state, whatever the event toggles. The push
   * starts in review (`status` is `review`) when the client has review before push on.
   */
  'push:candidate': {
    input: RoleInput.extend({ candidateId: z.number().int().positive() }),
    output: z.object({ outboxId: z.number().int().positive(), status: OutboxStatus, summary: z.string() }),
  },
} satisfies ChannelMap;
