// The Activity screen's filter and paging cursor, validated at the boundary, and their translation
// into SQL conditions over `audit_log a`.
import { z } from 'zod';
import { LifecycleEvent } from '../../shared/domain.js';

const Id = z.number().int().positive();

export const AuditFilter = z
  .object({
    clientId: Id.optional(),
    roleId: Id.optional(),
    candidateId: Id.optional(),
    event: LifecycleEvent.optional(),
    /** Outcome as the writer stored it (`ok`, `failed`, `skipped`, …). */
    outcome: z.string().trim().min(1).max(64).optional(),
    /** Entries at or after this instant (ISO-8601). */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Entries strictly before this instant (ISO-8601). */
    to: z.iso.datetime({ offset: true }).optional(),
    /** Substring of the message, the candidate's name, email or LinkedIn URL. */
    text: z.string().max(200).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

/** Position after the last row of a page: the (at, id) of that row. */
export const AuditCursor = z.object({ at: z.string().min(1), id: Id }).strict();
export type AuditCursor = z.infer<typeof AuditCursor>;

export const AuditOrder = z.enum(['newest_first', 'oldest_first']);
export type AuditOrder = z.infer<typeof AuditOrder>;

export interface SqlFragment {
  /** Conditions joined with AND; empty means no condition. */
  conditions: string[];
  params: unknown[];
}

// Stored timestamps are `toISOString()` output, so a bound is compared in the same form: an
// offset like +02:00 would otherwise compare as text against the wrong instant.
function toStoredInstant(value: string): string {
  return new Date(value).toISOString();
}

/**
 * Builds the SQL conditions for every filter field except `text`, which needs a search plan.
 * With `useIndexes: false` each column is written as `+a.column`, which keeps SQLite from choosing
 * that column's index: the free-text plan has already narrowed the rows to a short id list.
 */
export function structuredConditions(
  filter: AuditFilter,
  options: { useIndexes: boolean },
): SqlFragment {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const a = options.useIndexes ? 'a.' : '+a.';
  if (filter.clientId !== undefined) {
    conditions.push(`${a}client_id = ?`);
    params.push(filter.clientId);
  }
  if (filter.roleId !== undefined) {
    conditions.push(`${a}role_id = ?`);
    params.push(filter.roleId);
  }
  if (filter.candidateId !== undefined) {
    conditions.push(`${a}candidate_id = ?`);
    params.push(filter.candidateId);
  }
  if (filter.event !== undefined) {
    conditions.push(`${a}event = ?`);
    params.push(filter.event);
  }
  if (filter.outcome !== undefined) {
    conditions.push(`${a}outcome = ?`);
    params.push(filter.outcome);
  }
  if (filter.from !== undefined) {
    conditions.push(`${a}at >= ?`);
    params.push(toStoredInstant(filter.from));
  }
  if (filter.to !== undefined) {
    conditions.push(`${a}at < ?`);
    params.push(toStoredInstant(filter.to));
  }
  return { conditions, params };
}

/** Builds the keyset condition that continues after `cursor` in the given order. */
export function cursorCondition(
  cursor: AuditCursor | null | undefined,
  order: AuditOrder,
  options: { useIndexes: boolean },
): SqlFragment {
  if (!cursor) return { conditions: [], params: [] };
  // A row-value comparison lets SQLite seek the (…, at) index and continue from the cursor.
  const operator = order === 'newest_first' ? '<' : '>';
  const at = options.useIndexes ? 'a.at' : '+a.at';
  return { conditions: [`(${at}, a.id) ${operator} (?, ?)`], params: [cursor.at, cursor.id] };
}

export function orderByClause(order: AuditOrder): string {
  return order === 'newest_first' ? 'ORDER BY a.at DESC, a.id DESC' : 'ORDER BY a.at ASC, a.id ASC';
}

export function mergeFragments(...fragments: SqlFragment[]): SqlFragment {
  return {
    conditions: fragments.flatMap((fragment) => fragment.conditions),
    params: fragments.flatMap((fragment) => fragment.params),
  };
}

export function whereClause(fragment: SqlFragment): string {
  return fragment.conditions.length === 0 ? '' : `WHERE ${fragment.conditions.join(' AND ')}`;
}
