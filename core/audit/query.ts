// Paged reads of the audit log for the Activity screen and for export. Every read is a keyset page
// in (at, id) order over an index, so its cost depends on the page size, not on the log's size.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  AuditCursor,
  AuditFilter,
  AuditOrder,
  cursorCondition,
  mergeFragments,
  orderByClause,
  structuredConditions,
  whereClause,
  type SqlFragment,
} from './filter.js';
import { textSearchCondition, type TextSearchPlan } from './text-search.js';

/** One audit entry with the names of the client, role and candidate it refers to. */
export interface AuditEntryView {
  id: number;
  at: string;
  clientId: number | null;
  clientName: string | null;
  roleId: number | null;
  roleTitle: string | null;
  candidateId: number | null;
  candidateName: string | null;
  candidateEmail: string | null;
  candidateLinkedinUrl: string | null;
  candidatePhone: string | null;
  outboxId: number | null;
  event: string | null;
  action: string;
  outcome: string;
  message: string;
  ashbyCandidateId: string | null;
  ashbyApplicationId: string | null;
  ashbyRequestId: string | null;
  actor: string;
  /** JSON text written by the entry's author, or null. */
  details: string | null;
}

export const AuditPageRequest = z
  .object({
    /** Rows per page, 1 to 500. Default 100. */
    limit: z.number().int().min(1).max(500).default(100),
    after: AuditCursor.nullish(),
    order: AuditOrder.default('newest_first'),
    /** Also count matching rows, up to COUNT_LIMIT. Usually only for the first page. */
    includeCount: z.boolean().default(false),
  })
  .strict();
export type AuditPageRequest = z.input<typeof AuditPageRequest>;

/** Counting stops here, so a count never costs more than reading this many index entries. */
export const COUNT_LIMIT = 10_000;
/**
 * Lower limit when the free-text plan tests each row in turn, because counting then reads about
 * one row per match divided by the term's share of rows.
 */
export const SCAN_COUNT_LIMIT = 1_000;

export interface AuditCount {
  /** Matching rows, at most COUNT_LIMIT (SCAN_COUNT_LIMIT for a common search term). */
  value: number;
  /** False when there are more than `value` matching rows. */
  exact: boolean;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `after` for the next page; null when this page is the last. */
  nextCursor: AuditCursor | null;
  count: AuditCount | null;
  /** Plan used for the free-text filter, for diagnostics and benchmarks. */
  textPlan: TextSearchPlan;
}

interface AuditRowRecord {
  id: number;
  at: string;
  client_id: number | null;
  client_name: string | null;
  role_id: number | null;
  role_title: string | null;
  candidate_id: number | null;
  candidate_name: string | null;
  candidate_email: string | null;
  candidate_linkedin_url: string | null;
  candidate_phone: string | null;
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

function toView(row: AuditRowRecord): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    clientId: row.client_id,
    clientName: row.client_name,
    roleId: row.role_id,
    roleTitle: row.role_title,
    candidateId: row.candidate_id,
    candidateName: row.candidate_name,
    candidateEmail: row.candidate_email,
    candidateLinkedinUrl: row.candidate_linkedin_url,
    candidatePhone: row.candidate_phone,
    outboxId: row.outbox_id,
    event: row.event,
    action: row.action,
    outcome: row.outcome,
    message: row.message,
    ashbyCandidateId: row.ashby_candidate_id,
    ashbyApplicationId: row.ashby_application_id,
    ashbyRequestId: row.ashby_request_id,
    actor: row.actor,
    details: row.details,
  };
}

// The page's ids are chosen from audit_log alone, so the planner picks its index for the filter
// and order, and the joins run for the page's rows only.
const SELECT_COLUMNS = `
  a.id, a.at, a.client_id, c.name AS client_name, a.role_id, r.title AS role_title,
  a.candidate_id, k.name AS candidate_name, k.email AS candidate_email,
  k.linkedin_url AS candidate_linkedin_url, k.phone AS candidate_phone, a.outbox_id,
  a.event, a.action, a.outcome, a.message, a.ashby_candidate_id, a.ashby_application_id,
  a.ashby_request_id, a.actor, a.details`;

/** A validated filter with its free-text plan resolved, reusable for every page of one read. */
export interface PreparedAuditFilter {
  fragment: SqlFragment;
  textPlan: TextSearchPlan;
  /** False when the free-text plan has narrowed the rows to an id list (see structuredConditions). */
  useIndexes: boolean;
}

/**
 * Validates `filter` and resolves its free-text plan. Throws a ZodError for an invalid filter.
 * Export resolves it once and reuses it for every chunk.
 */
export function prepareAuditFilter(
  db: Database.Database,
  filter: AuditFilter,
): PreparedAuditFilter {
  const parsed = AuditFilter.parse(filter);
  const text = textSearchCondition(db, parsed);
  const useIndexes = text.plan !== 'sparse';
  return {
    fragment: mergeFragments(structuredConditions(parsed, { useIndexes }), text),
    textPlan: text.plan,
    useIndexes,
  };
}

/** Reads up to `limit` rows after `cursor`; with `maxId`, rows written later are left out. */
export function readAuditRows(
  db: Database.Database,
  prepared: PreparedAuditFilter,
  options: { limit: number; after?: AuditCursor | null; order: AuditOrder; maxId?: number },
): AuditEntryView[] {
  const bounds: SqlFragment =
    options.maxId === undefined
      ? { conditions: [], params: [] }
      : // The unary plus keeps SQLite from reading by rowid range and sorting everything.
        { conditions: ['+a.id <= ?'], params: [options.maxId] };
  const cursor = cursorCondition(options.after, options.order, { useIndexes: prepared.useIndexes });
  const where = mergeFragments(prepared.fragment, cursor, bounds);
  const order = orderByClause(options.order);
  const sql = `
    SELECT ${SELECT_COLUMNS}
    FROM (SELECT a.id FROM audit_log a ${whereClause(where)} ${order} LIMIT ?) AS page
    JOIN audit_log a ON a.id = page.id
    LEFT JOIN clients c ON c.id = a.client_id
    LEFT JOIN roles r ON r.id = a.role_id
    LEFT JOIN candidates k ON k.id = a.candidate_id
    ${order}`;
  const rows = db.prepare(sql).all(...where.params, options.limit) as AuditRowRecord[];
  return rows.map(toView);
}

/** Counts rows matching the prepared filter, stopping one past the plan's count limit. */
export function countAuditRows(db: Database.Database, prepared: PreparedAuditFilter): AuditCount {
  const limit = prepared.textPlan === 'scan' ? SCAN_COUNT_LIMIT : COUNT_LIMIT;
  const sql = `SELECT count(*) FROM (SELECT 1 FROM audit_log a ${whereClause(prepared.fragment)} LIMIT ?)`;
  const counted = db
    .prepare(sql)
    .pluck()
    .get(...prepared.fragment.params, limit + 1) as number;
  return counted > limit ? { value: limit, exact: false } : { value: counted, exact: true };
}

/**
 * Returns one page of audit entries matching `filter`, newest first unless asked otherwise.
 * Throws a ZodError when the filter or page request is invalid.
 */
export function queryAuditPage(
  db: Database.Database,
  filter: AuditFilter,
  page: AuditPageRequest = {},
): AuditPage {
  const request = AuditPageRequest.parse(page);
  const prepared = prepareAuditFilter(db, filter);

  // Reading one row more than the page shows whether another page exists without counting.
  const rows = readAuditRows(db, prepared, {
    limit: request.limit + 1,
    after: request.after,
    order: request.order,
  });
  const hasMore = rows.length > request.limit;
  const entries = hasMore ? rows.slice(0, request.limit) : rows;
  const last = entries.at(-1);

  return {
    entries,
    nextCursor: hasMore && last ? { at: last.at, id: last.id } : null,
    count: request.includeCount ? countAuditRows(db, prepared) : null,
    textPlan: prepared.textPlan,
  };
}
