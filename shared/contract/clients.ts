// Channels about client organisations (one Ashby tenant and API key each).
import { z } from 'zod';
import { ClientStatus } from '../domain.js';
import type { ChannelMap } from './define.js';

/** Outbox items of one client, grouped by what the admin has to do about them. */
export const QueueCounts = z.object({
  pending: z.number().int().nonnegative(),
  review: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  needsAttention: z.number().int().nonnegative(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const ClientSummary = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  status: ClientStatus,
  /** Why the client is not `connected`, in a sentence ("key rejected by Ashby"); null when connected. */
  statusReason: z.string().nullable(),
  counts: QueueCounts,
  /** ISO-8601 UTC time of the last successful write to Ashby, or null if there was none. */
  lastPushAt: z.string().nullable(),
  /** True for the built-in sandbox tenant used for demos and tests. */
  isSandbox: z.boolean(),
});
export type ClientSummary = z.infer<typeof ClientSummary>;

export const clientsChannels = {
  'clients:list': { input: z.strictObject({}), output: z.array(ClientSummary) },
} satisfies ChannelMap;
