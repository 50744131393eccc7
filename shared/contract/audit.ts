// Channels of the Activity screen: pages of the audit log under a filter, the export of that
// filter as CSV or JSON Lines, and each client's retention with its explicit purge.
import { z } from 'zod';
import { LifecycleEvent } from '../domain.js';
import type { ChannelMap } from './define.js';

const Id = z.number().int().positive();

/** The Activity screen's filter; every field narrows the entries shown and exported. */
export const ActivityFilter = z.strictObject({
  clientId: Id.optional(),
  roleId: Id.optional(),
  candidateId: Id.optional(),
  event: LifecycleEvent.optional(),
  /** Outcome as stored: `ok`, `failed`, `skipped`, … */
  outcome: z.string().trim().min(1).max(64).optional(),
  /** Entries at or after this instant (ISO-8601 with offset). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Entries strictly before this instant (ISO-8601 with offset). */
  to: z.iso.datetime({ offset: true }).optional(),
  /** Part of the message or of the candidate's name, email or LinkedIn URL. */
  text: z.string().max(200).optional(),
});
export type ActivityFilter = z.infer<typeof ActivityFilter>;

export const ActivityCursor = z.object({ at: z.string().min(1), id: Id });
export type ActivityCursor = z.infer<typeof ActivityCursor>;

export const ActivityEntry = z.object({
  id: Id,
  at: z.string(),
  clientId: Id.nullable(),
  clientName: z.string().nullable(),
  roleId: Id.nullable(),
  roleTitle: z.string().nullable(),
  candidateId: Id.nullable(),
  candidateName: z.string().nullable(),
  event: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
  message: z.string(),
  actor: z.string(),
  ashbyRequestId: z.string().nullable(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

export const ActivityPage = z.object({
  entries: z.array(ActivityEntry),
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: ActivityCursor.nullable(),
  /** Matching entries, counted up to a limit; null unless asked for. */
  count: z.object({ value: z.number().int().nonnegative(), exact: z.boolean() }).nullable(),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportOutcome = z.discriminatedUnion('kind', [
  /** The desktop app wrote the file the admin chose in the save dialog. */
  z.object({ kind: z.literal('saved'), file: z.string(), rows: z.number().int().nonnegative() }),
  /** The browser host prepared a download: open `url` once, within a minute. */
  z.object({ kind: z.literal('download'), url: z.string(), fileName: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
]);
export type ExportOutcome = z.infer<typeof ExportOutcome>;

export const Retention = z.object({
  clientId: Id,
  /** Days entries are kept; null keeps them forever. */
  retentionDays: z.number().int().positive().nullable(),
  /** Entries a purge now would delete (its own entry and earlier purge entries are kept). */
  purgeable: z.number().int().nonnegative(),
  /** Entries written before this instant would go; null when kept forever. */
  cutoff: z.string().nullable(),
});
export type Retention = z.infer<typeof Retention>;

export const auditChannels = {
  'audit:page': {
    input: z.strictObject({
      filter: ActivityFilter,
      after: ActivityCursor.nullable().optional(),
      limit: z.number().int().min(1).max(500).optional(),
      includeCount: z.boolean().optional(),
    }),
    output: ActivityPage,
  },
  /** Exports every entry matching the filter; the export itself is audited. */
  'audit:export': {
    input: z.strictObject({ filter: ActivityFilter, format: ExportFormat, redactPii: z.boolean() }),
    output: ExportOutcome,
  },
  /** Outcomes that occur in the log, of one client or of all, for the Outcome filter. */
  'audit:outcomes': {
    input: z.strictObject({ clientId: Id.nullable().optional() }),
    output: z.array(z.string()),
  },
  'audit:retention': { input: z.strictObject({ clientId: Id }), output: Retention },
  /** Sets how long the client's entries are kept; null keeps them forever. Nothing is deleted. */
  'audit:setRetention': {
    input: z.strictObject({ clientId: Id, retentionDays: z.number().int().min(1).max(36_500).nullable() }),
    output: Retention,
  },
  /** Deletes the client's entries older than its retention, and records the purge. */
  'audit:purge': {
    input: z.strictObject({ clientId: Id }),
    output: z.object({ deleted: z.number().int().nonnegative(), cutoff: z.string().nullable(), retention: Retention }),
  },
} satisfies ChannelMap;
