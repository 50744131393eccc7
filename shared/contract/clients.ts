// Channels about client organisations (one Ashby tenant and API key each).
import { z } from 'zod';
import { ClientStatus, LifecycleEvent } from '../domain.js';
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

/** One client with its settings, for the settings screen. Never carries the key itself. */
export const ClientDetail = ClientSummary.extend({
  baseUrl: z.string(),
  enabledEvents: z.array(LifecycleEvent),
  sourceId: z.string().nullable(),
  sourceTitle: z.string().nullable(),
  archiveReasonId: z.string().nullable(),
  archiveReasonText: z.string().nullable(),
  reviewBeforePush: z.boolean(),
  /** The key's title in Ashby, as `apiKey.info` returned it. */
  keyTitle: z.string().nullable(),
  /** True when an admin disconnected the client (rather than Ashby rejecting its key). */
  disconnectedByUser: z.boolean(),
});
export type ClientDetail = z.infer<typeof ClientDetail>;

/** One permission one enabled event needs (or the connection check itself), ticked or missing. */
export const PermissionLine = z.object({
  event: z.union([LifecycleEvent, z.literal('connection_check')]),
  permission: z.string(),
  granted: z.boolean(),
});
export type PermissionLine = z.infer<typeof PermissionLine>;

export const KEY_PROBLEMS = [
  'invalid_base_url',
  'key_rejected',
  'missing_permissions',
  'unreachable',
  'ashby_error',
] as const;

export const KeyVerification = z.object({
  ok: z.boolean(),
  problem: z.enum(KEY_PROBLEMS).nullable(),
  /** What was found and what to do next in Ashby. */
  message: z.string(),
  keyTitle: z.string().nullable(),
  checklist: z.array(PermissionLine),
  missingByEvent: z.array(z.object({ event: LifecycleEvent, missing: z.array(z.string()) })),
});
export type KeyVerification = z.infer<typeof KeyVerification>;

const ClientInput = z.strictObject({ clientId: z.number().int().positive() });
const ApiKey = z.string().trim().min(1).max(4096);
/** Ashby's API host unless a sandbox or proxy URL is given. */
const BaseUrl = z.string().trim().min(1).max(2048).optional();

export const clientsChannels = {
  'clients:list': { input: z.strictObject({}), output: z.array(ClientSummary) },
  'clients:get': { input: ClientInput, output: ClientDetail },
  /** Checks a key before anything is stored; never throws for a rejected key. */
  'clients:verifyKey': {
    input: z.strictObject({ baseUrl: BaseUrl, apiKey: ApiKey, events: z.array(LifecycleEvent) }),
    output: KeyVerification,
  },
  /** Verifies the key again and stores the client; the key goes to the OS keychain. */
  'clients:add': {
    input: z.strictObject({
      name: z.string().trim().min(1).max(200),
      baseUrl: BaseUrl,
      apiKey: ApiKey,
      events: z.array(LifecycleEvent).optional(),
    }),
    output: z.object({ client: ClientDetail, verification: KeyVerification }),
  },
  'clients:test': { input: ClientInput, output: KeyVerification },
  'clients:updateSettings': {
    input: ClientInput.extend({
      events: z.array(LifecycleEvent).optional(),
      sourceId: z.string().min(1).nullable().optional(),
      archiveReasonId: z.string().min(1).nullable().optional(),
      reviewBeforePush: z.boolean().optional(),
    }),
    output: ClientDetail,
  },
  'clients:replaceKey': {
    input: ClientInput.extend({ apiKey: ApiKey }),
    output: z.object({ client: ClientDetail, verification: KeyVerification }),
  },
  /** Pauses the client's queue; nothing in Ashby or in the console is deleted. */
  'clients:disconnect': {
    input: ClientInput,
    output: z.object({ client: ClientDetail, paused: z.number().int().nonnegative() }),
  },
  'clients:reconnect': {
    input: ClientInput,
    output: z.object({ client: ClientDetail, ok: z.boolean(), message: z.string() }),
  },
} satisfies ChannelMap;
