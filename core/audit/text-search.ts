// Free-text search over audit entries: the message (trigram index `audit_fts`) and the linked
// candidate's name, email and LinkedIn URL (the much smaller `candidates` table).
//
// Two plans keep a page fast at a million entries. When the term is rare, its matches are fetched
// from the indexes and only those rows are sorted. When it is common, a page is read in (at, id)
// order and each row is tested, which stops as soon as the page is full.
import type Database from 'better-sqlite3';
import type { AuditFilter, SqlFragment } from './filter.js';

/** Above this many message matches a term counts as common and the scanning plan is used. */
export const SPARSE_MESSAGE_MATCH_LIMIT = 20_000;
/** Above this many matching candidates the candidate part is evaluated as a subquery instead. */
export const SPARSE_CANDIDATE_MATCH_LIMIT = 1_000;
/** The trigram tokenizer cannot look up terms shorter than three characters. */
const MIN_INDEXED_LENGTH = 3;

export const TEXT_MATCH_FUNCTION = 'audit_text_match';

/**
 * Folds text close to the way the trigram tokenizer with `remove_diacritics 1` does, so both plans
 * return the same rows: lower case, Latin diacritics removed (Zoë → zoe), other marks such as
 * the kana voicing mark kept.
 */
export function foldForSearch(text: string): string {
  // Most messages are ASCII, where decomposition changes nothing and is the costly step.
  if (!/[^\u0000-\u007f]/.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase();
}

export const NAME_MATCH_FUNCTION = 'audit_name_match';

// Candidate names repeat on every page of a search and folding a non-ASCII name is the costly part,
// so folded names are kept, up to a bound, for the life of the process.
const FOLDED_NAME_CACHE_LIMIT = 200_000;
const foldedNames = new Map<string, string>();

function foldName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    folded = foldForSearch(name);
    if (foldedNames.size >= FOLDED_NAME_CACHE_LIMIT) foldedNames.clear();
    foldedNames.set(name, folded);
  }
  return folded;
}

const registered = new WeakSet<Database.Database>();

function registerTextMatch(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function(
    TEXT_MATCH_FUNCTION,
    { deterministic: true },
    (text: unknown, foldedNeedle: unknown) => {
      if (typeof text !== 'string' || typeof foldedNeedle !== 'string') return 0;
      return foldForSearch(text).includes(foldedNeedle) ? 1 : 0;
    },
  );
  db.function(
    NAME_MATCH_FUNCTION,
    { deterministic: true },
    (name: unknown, foldedNeedle: unknown) => {
      if (typeof name !== 'string' || typeof foldedNeedle !== 'string') return 0;
      return foldName(name).includes(foldedNeedle) ? 1 : 0;
    },
  );
  registered.add(db);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function quoteFtsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

// Emails and LinkedIn URLs are almost always ASCII, where LIKE already ignores case. Names are
// compared folded, so "zoe" finds Zoë as it does in messages: an ASCII name needs only LIKE with
// the folded needle, and the costlier JS function runs for names with other characters.
function candidateSubquery(needle: string, filter: AuditFilter): SqlFragment {
  const pattern = `%${escapeLike(needle)}%`;
  const foldedNeedle = foldForSearch(needle);
  const foldedPattern = `%${escapeLike(foldedNeedle)}%`;
  const conditions = [
    `(k.email LIKE ? ESCAPE '\\' OR k.linkedin_url LIKE ? ESCAPE '\\' OR k.name LIKE ? ESCAPE '\\'` +
      ` OR (k.name GLOB '*[^ -~]*' AND ${NAME_MATCH_FUNCTION}(k.name, ?)))`,
  ];
  const params: unknown[] = [pattern, pattern, foldedPattern, foldedNeedle];
  if (filter.clientId !== undefined) {
    conditions.push('k.client_id = ?');
    params.push(filter.clientId);
  }
  if (filter.roleId !== undefined) {
    conditions.push('k.role_id = ?');
    params.push(filter.roleId);
  }
  return {
    conditions: [`SELECT k.id FROM candidates k WHERE ${conditions.join(' AND ')}`],
    params,
  };
}

/**
 * Returns up to `limit` ids of entries that the message index does not hold yet (message-index.ts)
 * and whose message contains the needle, compared as the index compares.
 */
function unindexedMessageIds(db: Database.Database, needle: string, limit: number): number[] {
  return db
    .prepare(
      `SELECT id FROM audit_log
       WHERE id > (SELECT indexed_to FROM audit_fts_progress WHERE id = 1) AND ${TEXT_MATCH_FUNCTION}(message, ?)
       ORDER BY id LIMIT ?`,
    )
    .pluck()
    .all(foldForSearch(needle), limit) as number[];
}

export type TextSearchPlan = 'none' | 'sparse' | 'scan';

export interface TextSearchCondition extends SqlFragment {
  plan: TextSearchPlan;
}

/** Chooses a plan for `filter.text` and returns the condition to AND with the other filters. */
export function textSearchCondition(
  db: Database.Database,
  filter: AuditFilter,
): TextSearchCondition {
  const needle = filter.text?.trim() ?? '';
  if (needle === '') return { plan: 'none', conditions: [], params: [] };
  registerTextMatch(db);

  const candidates = candidateSubquery(needle, filter);
  const candidateSql = candidates.conditions[0]!;
  const candidateIds = db
    .prepare(`${candidateSql} LIMIT ?`)
    .pluck()
    .all(...candidates.params, SPARSE_CANDIDATE_MATCH_LIMIT + 1) as number[];
  const fewCandidates = candidateIds.length <= SPARSE_CANDIDATE_MATCH_LIMIT;

  if ([...needle].length >= MIN_INDEXED_LENGTH && fewCandidates) {
    const messageIds = db
      .prepare('SELECT rowid FROM audit_fts WHERE audit_fts MATCH ? LIMIT ?')
      .pluck()
      .all(quoteFtsPhrase(needle), SPARSE_MESSAGE_MATCH_LIMIT + 1) as number[];
    if (messageIds.length <= SPARSE_MESSAGE_MATCH_LIMIT) {
      messageIds.push(
        ...unindexedMessageIds(db, needle, SPARSE_MESSAGE_MATCH_LIMIT + 1 - messageIds.length),
      );
    }
    if (messageIds.length <= SPARSE_MESSAGE_MATCH_LIMIT) {
      return {
        plan: 'sparse',
        conditions: [
          '(a.id IN (SELECT value FROM json_each(?)) OR a.candidate_id IN (SELECT value FROM json_each(?)))',
        ],
        params: [JSON.stringify(messageIds), JSON.stringify(candidateIds)],
      };
    }
  }

  // The candidate ids already read are reused unless there were too many to pass as a list.
  const candidateCondition = fewCandidates
    ? { sql: 'SELECT value FROM json_each(?)', params: [JSON.stringify(candidateIds)] }
    : { sql: candidateSql, params: candidates.params };
  return {
    plan: 'scan',
    conditions: [
      `(${TEXT_MATCH_FUNCTION}(a.message, ?) OR a.candidate_id IN (${candidateCondition.sql}))`,
    ],
    params: [foldForSearch(needle), ...candidateCondition.params],
  };
}
