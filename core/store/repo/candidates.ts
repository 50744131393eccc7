// Candidates of a role as the Jack & Jill pipeline shows them, with the stored link to each one's
// Ashby candidate and application. A role can hold tens of thousands of rows, so lists
// are paged and filtered in SQL.
import type Database from 'better-sqlite3';
import {
  ashbyDisplayStatusOf,
  AshbyLinkStatus,
  PIPELINE_STATES,
  type AshbyDisplayStatus,
  PipelineState,
} from '../../../shared/domain.js';
import { isoNow, type Clock } from '../../clock.js';
import { StoreNotFoundError } from '../errors.js';
import { buildAssignments, escapeLike } from './rows.js';

export interface Candidate {
  id: number;
  clientId: number;
  roleId: number;
  externalId: string;
  name: string;
  email: string | null;
  /** Normalized email used for identity matching (computed by the engine's identity rules). */
  emailKey: string | null;
  linkedinUrl: string | null;
  /** Canonical LinkedIn profile slug, lower-cased. */
  linkedinSlug: string | null;
  phone: string | null;
  resumeSha256: string | null;
  resumeFileName: string | null;
  resumeSize: number | null;
  resumeContentType: string | null;
  /** Why the import rejected the resume file named for this candidate; null when there was no problem. */
  resumeProblem: string | null;
  state: PipelineState;
  stateChangedAt: string;
  ashbyStatus: AshbyLinkStatus;
  /** `ashbyStatus` as the screens show it, with `in_ashby_not_on_job` split from `not_in_ashby`. */
  ashbyDisplayStatus: AshbyDisplayStatus;
  ashbyStatusReason: string | null;
  ashbyCandidateId: string | null;
  ashbyApplicationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewCandidate {
  clientId: number;
  roleId: number;
  externalId: string;
  name: string;
  email?: string | null;
  emailKey?: string | null;
  linkedinUrl?: string | null;
  linkedinSlug?: string | null;
  phone?: string | null;
  resume?: { sha256: string; fileName: string; size: number; contentType: string } | null;
  state: PipelineState;
  /** Defaults to the clock's current time. */
  stateChangedAt?: string;
}

export interface CandidateFilter {
  roleId: number;
  /** Case-insensitive substring of the name or email. */
  search?: string;
  /** Only candidates in one of these states; empty or undefined means every state. */
  states?: readonly PipelineState[];
  /** Only candidates with one of these display statuses; empty or undefined means every status. */
  ashbyStatuses?: readonly AshbyDisplayStatus[];
}

export type CandidateSort = 'name' | 'recent';

export interface CandidatePageRequest {
  offset?: number;
  /** Rows per page, from 1 to MAX_CANDIDATE_PAGE_SIZE. Default 100. */
  limit?: number;
  /** `name` (A to Z) or `recent` (latest state change first). Default `name`. */
  sort?: CandidateSort;
}

export interface CandidatePage {
  items: Candidate[];
  /** Rows matching the filter across all pages. */
  total: number;
  offset: number;
  limit: number;
}

export const MAX_CANDIDATE_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;

/** A `candidates` row as SQLite returns it from `SELECT *`. */
export interface CandidateRow {
  id: number;
  client_id: number;
  role_id: number;
  external_id: string;
  name: string;
  email: string | null;
  email_key: string | null;
  linkedin_url: string | null;
  linkedin_slug: string | null;
  phone: string | null;
  resume_sha256: string | null;
  resume_file_name: string | null;
  resume_size: number | null;
  resume_content_type: string | null;
  resume_problem: string | null;
  state: string;
  state_changed_at: string;
  ashby_status: string;
  ashby_status_reason: string | null;
  ashby_candidate_id: string | null;
  ashby_application_id: string | null;
  created_at: string;
  updated_at: string;
}

function toCandidate(row: CandidateRow): Candidate {
  return {
    id: row.id,
    clientId: row.client_id,
    roleId: row.role_id,
    externalId: row.external_id,
    name: row.name,
    email: row.email,
    emailKey: row.email_key,
    linkedinUrl: row.linkedin_url,
    linkedinSlug: row.linkedin_slug,
    phone: row.phone,
    resumeSha256: row.resume_sha256,
    resumeFileName: row.resume_file_name,
    resumeSize: row.resume_size,
    resumeContentType: row.resume_content_type,
    resumeProblem: row.resume_problem,
    state: PipelineState.parse(row.state),
    stateChangedAt: row.state_changed_at,
    ashbyStatus: AshbyLinkStatus.parse(row.ashby_status),
    ashbyDisplayStatus: ashbyDisplayStatusOf(AshbyLinkStatus.parse(row.ashby_status), row.ashby_candidate_id),
    ashbyStatusReason: row.ashby_status_reason,
    ashbyCandidateId: row.ashby_candidate_id,
    ashbyApplicationId: row.ashby_application_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts a candidate and returns it. A duplicate (roleId, externalId) raises SQLITE_CONSTRAINT_UNIQUE. */
export function insertCandidate(db: Database.Database, clock: Clock, input: NewCandidate): Candidate {
  const now = isoNow(clock);
  const row = db
    .prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, email, email_key, linkedin_url,
         linkedin_slug, phone, resume_sha256, resume_file_name, resume_size, resume_content_type,
         state, state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       RETURNING *`,
    )
    .get(
      input.clientId,
      input.roleId,
      input.externalId,
      input.name,
      input.email ?? null,
      input.emailKey ?? null,
      input.linkedinUrl ?? null,
      input.linkedinSlug ?? null,
      input.phone ?? null,
      input.resume?.sha256 ?? null,
      input.resume?.fileName ?? null,
      input.resume?.size ?? null,
      input.resume?.contentType ?? null,
      input.state,
      input.stateChangedAt ?? now,
      now,
      now,
    ) as CandidateRow;
  return toCandidate(row);
}

export function getCandidate(db: Database.Database, id: number): Candidate | null {
  const row = db.prepare('SELECT * FROM candidates WHERE id = ?').get(id) as CandidateRow | undefined;
  return row ? toCandidate(row) : null;
}

/** Returns the candidate with this id or throws StoreNotFoundError. */
export function requireCandidate(db: Database.Database, id: number): Candidate {
  const candidate = getCandidate(db, id);
  if (!candidate) throw new StoreNotFoundError('Candidate', 'candidates', id);
  return candidate;
}

export function getCandidateByExternalId(db: Database.Database, roleId: number, externalId: string): Candidate | null {
  const row = db
    .prepare('SELECT * FROM candidates WHERE role_id = ? AND external_id = ?')
    .get(roleId, externalId) as CandidateRow | undefined;
  return row ? toCandidate(row) : null;
}

/** SQL expression of a candidates row's display status; `ashbyDisplayStatusOf` in SQL. */
export const ASHBY_DISPLAY_STATUS_SQL =
  "(CASE WHEN ashby_status = 'not_in_ashby' AND ashby_candidate_id IS NOT NULL THEN 'in_ashby_not_on_job' ELSE ashby_status END)";

// Builds the WHERE clause for a filter. `includeStates` is false for per-state counts, which
// ignore the state filter so that every state's tab shows its count.
function whereClause(filter: CandidateFilter, includeStates: boolean): { sql: string; params: unknown[] } {
  const conditions = ['role_id = ?'];
  const params: unknown[] = [filter.roleId];

  if (includeStates && filter.states && filter.states.length > 0) {
    conditions.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  if (filter.ashbyStatuses && filter.ashbyStatuses.length > 0) {
    conditions.push(`${ASHBY_DISPLAY_STATUS_SQL} IN (${filter.ashbyStatuses.map(() => '?').join(', ')})`);
    params.push(...filter.ashbyStatuses);
  }
  const search = filter.search?.trim();
  if (search) {
    // LIKE is case-insensitive for ASCII letters only; other scripts match case-sensitively.
    const pattern = `%${escapeLike(search)}%`;
    conditions.push(`(name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')`);
    params.push(pattern, pattern);
  }
  return { sql: conditions.join(' AND '), params };
}

const ORDER_BY: Record<CandidateSort, string> = {
  name: 'name COLLATE NOCASE, id',
  recent: 'state_changed_at DESC, id DESC',
};

/** Returns one page of a role's candidates matching `filter`, with the total number of matches. */
export function listCandidates(
  db: Database.Database,
  filter: CandidateFilter,
  page: CandidatePageRequest = {},
): CandidatePage {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, got ${offset}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CANDIDATE_PAGE_SIZE) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_CANDIDATE_PAGE_SIZE}, got ${limit}`);
  }

  const where = whereClause(filter, true);
  const orderBy = ORDER_BY[page.sort ?? 'name'];
  const rows = db
    .prepare(`SELECT * FROM candidates WHERE ${where.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
    .all(...where.params, limit, offset) as CandidateRow[];
  const total = (
    db.prepare(`SELECT count(*) AS count FROM candidates WHERE ${where.sql}`).get(...where.params) as { count: number }
  ).count;
  return { items: rows.map(toCandidate), total, offset, limit };
}

/** Counts a role's candidates per pipeline state, applying the filter's search and Ashby statuses but not its states. */
export function countCandidatesByState(db: Database.Database, filter: CandidateFilter): Record<PipelineState, number> {
  const where = whereClause(filter, false);
  const rows = db
    .prepare(`SELECT state, count(*) AS count FROM candidates WHERE ${where.sql} GROUP BY state`)
    .all(...where.params) as Array<{ state: string; count: number }>;
  const counts = Object.fromEntries(PIPELINE_STATES.map((state) => [state, 0])) as Record<PipelineState, number>;
  for (const row of rows) counts[PipelineState.parse(row.state)] = row.count;
  return counts;
}

function updateColumns(db: Database.Database, clock: Clock, id: number, columns: Record<string, unknown>): Candidate {
  const assignments = buildAssignments({ ...columns, updated_at: isoNow(clock) });
  const row = db
    .prepare(`UPDATE candidates SET ${assignments.sql} WHERE id = ? RETURNING *`)
    .get(...assignments.params, id) as CandidateRow | undefined;
  if (!row) throw new StoreNotFoundError('Candidate', 'candidates', id);
  return toCandidate(row);
}

export interface CandidateLinkUpdate {
  ashbyStatus: AshbyLinkStatus;
  /** Sentence shown next to `needs_attention`; null clears it. Default null. */
  ashbyStatusReason?: string | null;
  /** Left unchanged when undefined; null clears the stored id. */
  ashbyCandidateId?: string | null;
  /** Left unchanged when undefined; null clears the stored id. */
  ashbyApplicationId?: string | null;
}

/** Records what the engine learnt about the candidate's Ashby candidate and application. */
export function updateCandidateLink(
  db: Database.Database,
  clock: Clock,
  id: number,
  link: CandidateLinkUpdate,
): Candidate {
  return updateColumns(db, clock, id, {
    ashby_status: link.ashbyStatus,
    ashby_status_reason: link.ashbyStatusReason ?? null,
    ashby_candidate_id: link.ashbyCandidateId,
    ashby_application_id: link.ashbyApplicationId,
  });
}

/**
 * Moves the candidate to `state`. The caller runs this in the same transaction as the outbox
 * insert for the lifecycle event, so the state change and its push commit together.
 */
export function setCandidateState(db: Database.Database, clock: Clock, id: number, state: PipelineState): Candidate {
  return updateColumns(db, clock, id, { state, state_changed_at: isoNow(clock) });
}
