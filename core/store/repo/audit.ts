// The append-only audit log: every decision, Ashby write, review decision, settings change and
// export. Triggers reject UPDATE and DELETE; this module only inserts and reads.
import type Database from 'better-sqlite3';
import type { LifecycleEvent } from '../../../shared/domain.js';
import { isoNow, type Clock } from '../../clock.js';
import { scrubSecrets } from '../../log/logger.js';
import { prepareCached } from '../statements.js';
import { escapeLike } from './rows.js';

export interface AuditEntry {
  id: number;
  /** ISO-8601 UTC time the entry was written. */
  at: string;
  clientId: number | null;
  roleId: number | null;
  candidateId: number | null;
  outboxId: number | null;
  event: LifecycleEvent | null;
  /** Dotted name of the action (`push.candidate_created`, `settings.changed`, `audit.export`). */
  action: string;
  /** Result of the action (`ok`, `failed`, `skipped`, …). */
  outcome: string;
  message: string;
  ashbyCandidateId: string | null;
  ashbyApplicationId: string | null;
  ashbyRequestId: string | null;
  /** Actor that caused the entry: `engine`, `admin`, `cli`, … */
  actor: string;
  details: unknown;
}

export interface NewAuditEntry {
  clientId?: number | null;
  roleId?: number | null;
  candidateId?: number | null;
  outboxId?: number | null;
  event?: LifecycleEvent | null;
  action: string;
  outcome: string;
  message?: string;
  ashbyCandidateId?: string | null;
  ashbyApplicationId?: string | null;
  ashbyRequestId?: string | null;
  /** Default `engine`. */
  actor?: string;
  /** Serialized as JSON. */
  details?: unknown;
}

export interface AuditQuery {
  clientId?: number;
  roleId?: number;
  candidateId?: number;
  event?: LifecycleEvent;
  outcome?: string;
  /** Entries at or after this instant (ISO-8601). */
  from?: string;
  /** Entries strictly before this instant (ISO-8601). */
  to?: string;
  /** Substring of the message or of the linked candidate's name or email, case-insensitive. */
  text?: string;
}

/** Position after the last entry of a page, in (at, id) order. */
export interface AuditCursor {
  at: string;
  id: number;
}

export interface AuditPageRequest {
  /** Entries per page, from 1 to MAX_AUDIT_PAGE_SIZE. Default 100. */
  limit?: number;
  /** Continue after this entry (keyset paging); takes precedence over `offset`. */
  cursor?: AuditCursor | null;
  /** Skip this many matching entries; slower than a cursor on deep pages. */
  offset?: number;
  /** Default `newest_first`. */
  order?: 'newest_first' | 'oldest_first';
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Cursor for the next page, or null when this page is the last. */
  nextCursor: AuditCursor | null;
}

export const MAX_AUDIT_PAGE_SIZE = 1000;

interface AuditRow {
  id: number;
  at: string;
  client_id: number | null;
  role_id: number | null;
  candidate_id: number | null;
  outbox_id: number | null;
  event: string | null;
  action: string;
  outcome: string;
  message: string;
  ashby_candidate_id: string | null;
  ashby_application_id: string | null;
  ashby_request_id: string | null;
  actor: string;
  details: string | null;
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    clientId: row.client_id,
    roleId: row.role_id,
    candidateId: row.candidate_id,
    outboxId: row.outbox_id,
    event: row.event as LifecycleEvent | null,
    action: row.action,
    outcome: row.outcome,
    message: row.message,
    ashbyCandidateId: row.ashby_candidate_id,
    ashbyApplicationId: row.ashby_application_id,
    ashbyRequestId: row.ashby_request_id,
    actor: row.actor,
    details: row.details === null ? null : (JSON.parse(row.details) as unknown),
  };
}

/**
 * Appends one entry and returns it. Registered secrets are scrubbed from the message and details
 * first, so an API key that slipped into an error message never reaches the database.
 */
export function appendAudit(db: Database.Database, clock: Clock, entry: NewAuditEntry): AuditEntry {
  const details = entry.details === undefined ? null : scrubSecrets(JSON.stringify(entry.details));
  const row = prepareCached(
    db,
    `INSERT INTO audit_log (at, client_id, role_id, candidate_id, outbox_id, event, action, outcome,
       message, ashby_candidate_id, ashby_application_id, ashby_request_id, actor, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     RETURNING *`,
  ).get(
    isoNow(clock),
    entry.clientId ?? null,
    entry.roleId ?? null,
    entry.candidateId ?? null,
    entry.outboxId ?? null,
    entry.event ?? null,
    entry.action,
    entry.outcome,
    scrubSecrets(entry.message ?? ''),
    entry.ashbyCandidateId ?? null,
    entry.ashbyApplicationId ?? null,
    entry.ashbyRequestId ?? null,
    entry.actor ?? 'engine',
    details,
  ) as AuditRow;
  return toAuditEntry(row);
}

function toStoredInstant(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`${field} is not a valid ISO-8601 time: ${value}`);
  return new Date(time).toISOString();
}

// NOTE: queryAudit serves tests and has no caller in the app, whose search is queryAuditPage
// (core/audit/query.ts). It matches messages with LIKE, which ignores case in ASCII letters only.
function messageCondition(text: string): { sql: string; params: unknown[] } {
  return { sql: `a.message LIKE ? ESCAPE '\\'`, params: [`%${escapeLike(text)}%`] };
}

function whereClause(filter: AuditQuery): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const equal = (column: string, value: unknown) => {
    if (value === undefined) return;
    conditions.push(`${column} = ?`);
    params.push(value);
  };
  equal('a.client_id', filter.clientId);
  equal('a.role_id', filter.roleId);
  equal('a.candidate_id', filter.candidateId);
  equal('a.event', filter.event);
  equal('a.outcome', filter.outcome);
  if (filter.from !== undefined) {
    conditions.push('a.at >= ?');
    params.push(toStoredInstant(filter.from, 'from'));
  }
  if (filter.to !== undefined) {
    conditions.push('a.at < ?');
    params.push(toStoredInstant(filter.to, 'to'));
  }

  const text = filter.text?.trim();
  if (text) {
    const message = messageCondition(text);
    const pattern = `%${escapeLike(text)}%`;
    conditions.push(
      `(${message.sql} OR a.candidate_id IN (SELECT k.id FROM candidates k WHERE k.name LIKE ? ESCAPE '\\' OR k.email LIKE ? ESCAPE '\\'))`,
    );
    params.push(...message.params, pattern, pattern);
  }
  return { conditions, params };
}

/** Returns one page of audit entries matching `filter`, newest first unless asked otherwise. */
export function queryAudit(db: Database.Database, filter: AuditQuery = {}, page: AuditPageRequest = {}): AuditPage {
  const limit = page.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE_SIZE) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}, got ${limit}`);
  }
  const offset = page.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, got ${offset}`);
  const newestFirst = (page.order ?? 'newest_first') === 'newest_first';

  const { conditions, params } = whereClause(filter);
  if (page.cursor) {
    const after = newestFirst ? '<' : '>';
    conditions.push(`(a.at ${after} ? OR (a.at = ? AND a.id ${after} ?))`);
    params.push(page.cursor.at, page.cursor.at, page.cursor.id);
  }

  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const direction = newestFirst ? 'DESC' : 'ASC';
  // One extra row shows whether another page follows.
  const rows = db
    .prepare(
      `SELECT a.* FROM audit_log a ${where} ORDER BY a.at ${direction}, a.id ${direction} LIMIT ? OFFSET ?`,
    )
    .all(...params, limit + 1, page.cursor ? 0 : offset) as AuditRow[];

  const entries = rows.slice(0, limit).map(toAuditEntry);
  const last = entries.at(-1);
  const nextCursor = rows.length > limit && last ? { at: last.at, id: last.id } : null;
  return { entries, nextCursor };
}
