// The per-client mirror of Ashby: candidates with every email and LinkedIn identity, and the
// applications on linked jobs. Built with candidate.list / application.list and kept fresh with
// sync tokens; the identity resolver reads it instead of searching Ashby item by item.
import type Database from 'better-sqlite3';
import { isAshbyError } from '../ashby/errors.js';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import { TurnBudget } from '../turns.js';
import type {
  AshbyApplicationRecord,
  AshbyCandidateRecord,
  AshbyPage,
  AshbyPort,
} from './ashby-port.js';
import { canonicalLinkedIn, normalizeEmail } from './identity.js';
import type { PlanStage } from './stages.js';

export const CANDIDATE_STREAM = 'candidates';

export function applicationStream(jobId: string): string {
  return `applications:${jobId}`;
}

/** Ashby codes that mean a sync token or cursor must be dropped and the stream read again in full. */
const RESTART_CODES = new Set([
  'sync_token_expired',
  'sync_token_invalid',
  'incremental_sync_too_large',
  'next_cursor_expired',
  'invalid_next_cursor',
]);

export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function upsertIndexedCandidate(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  record: AshbyCandidateRecord,
): void {
  const now = isoNow(clock);
  prepareCached(
    db,
    `INSERT INTO ashby_candidates (client_id, ashby_candidate_id, name, name_key, emails, application_ids, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (client_id, ashby_candidate_id) DO UPDATE SET
       name = excluded.name, name_key = excluded.name_key, emails = excluded.emails,
       application_ids = excluded.application_ids, updated_at = excluded.updated_at`,
  ).run(
    clientId,
    record.id,
    record.name,
    nameKey(record.name),
    JSON.stringify(record.emails),
    JSON.stringify(record.applicationIds),
    now,
  );

  prepareCached(
    db,
    'DELETE FROM ashby_identity_keys WHERE client_id = ? AND ashby_candidate_id = ?',
  ).run(clientId, record.id);
  const insertKey = prepareCached(
    db,
    `INSERT OR IGNORE INTO ashby_identity_keys (client_id, kind, key, ashby_candidate_id) VALUES (?, ?, ?, ?)`,
  );
  for (const email of record.emails) {
    const normalized = normalizeEmail(email);
    if (normalized.ok) insertKey.run(clientId, 'email', normalized.key, record.id);
  }
  for (const url of record.linkedInUrls) {
    const linkedIn = canonicalLinkedIn(url);
    if (linkedIn.ok) insertKey.run(clientId, 'linkedin', linkedIn.slug, record.id);
  }
}

export function upsertIndexedApplication(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  record: AshbyApplicationRecord,
): void {
  prepareCached(
    db,
    `INSERT INTO ashby_applications (client_id, ashby_application_id, ashby_candidate_id, ashby_job_id, status,
       stage_id, stage_title, stage_type, stage_order, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (client_id, ashby_application_id) DO UPDATE SET
       ashby_candidate_id = excluded.ashby_candidate_id, ashby_job_id = excluded.ashby_job_id,
       status = excluded.status, stage_id = excluded.stage_id, stage_title = excluded.stage_title,
       stage_type = excluded.stage_type, stage_order = excluded.stage_order, updated_at = excluded.updated_at`,
  ).run(
    clientId,
    record.id,
    record.candidateId,
    record.jobId,
    record.status,
    record.stage.id,
    record.stage.title,
    record.stage.type,
    record.stage.orderInInterviewPlan,
    isoNow(clock),
  );
}

/** Returns the Ashby candidate ids whose stored identity of `kind` equals `key`. */
export function findByIdentity(
  db: Database.Database,
  clientId: number,
  kind: 'email' | 'linkedin',
  key: string,
): string[] {
  const rows = prepareCached(
    db,
    'SELECT ashby_candidate_id AS id FROM ashby_identity_keys WHERE client_id = ? AND kind = ? AND key = ? ORDER BY ashby_candidate_id',
  ).all(clientId, kind, key) as { id: string }[];
  return rows.map((row) => row.id);
}

export function findByName(db: Database.Database, clientId: number, name: string): string[] {
  const rows = prepareCached(
    db,
    'SELECT ashby_candidate_id AS id FROM ashby_candidates WHERE client_id = ? AND name_key = ?',
  ).all(clientId, nameKey(name)) as { id: string }[];
  return rows.map((row) => row.id);
}

export function findIndexedApplication(
  db: Database.Database,
  clientId: number,
  ashbyCandidateId: string,
  jobId: string,
): AshbyApplicationRecord | undefined {
  const row = prepareCached(
    db,
    `SELECT * FROM ashby_applications WHERE client_id = ? AND ashby_candidate_id = ? AND ashby_job_id = ?
     ORDER BY updated_at DESC LIMIT 1`,
  ).get(clientId, ashbyCandidateId, jobId) as
    | {
        ashby_application_id: string;
        ashby_candidate_id: string;
        ashby_job_id: string;
        status: string;
        stage_id: string;
        stage_title: string;
        stage_type: string;
        stage_order: number;
      }
    | undefined;
  if (row === undefined) return undefined;
  const stage: PlanStage = {
    id: row.stage_id,
    title: row.stage_title,
    type: row.stage_type,
    orderInInterviewPlan: row.stage_order,
  };
  return {
    id: row.ashby_application_id,
    candidateId: row.ashby_candidate_id,
    jobId: row.ashby_job_id,
    status: row.status,
    stage,
  };
}

interface SyncState {
  sync_token: string | null;
  full_count: number;
  synced_at: string;
}

export function getSyncState(
  db: Database.Database,
  clientId: number,
  stream: string,
): SyncState | undefined {
  return prepareCached(
    db,
    'SELECT sync_token, full_count, synced_at FROM ashby_sync_state WHERE client_id = ? AND stream = ?',
  ).get(clientId, stream) as SyncState | undefined;
}

function saveSyncState(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  stream: string,
  token: string | null,
  fullCount: number | null,
): void {
  prepareCached(
    db,
    `INSERT INTO ashby_sync_state (client_id, stream, sync_token, full_count, synced_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (client_id, stream) DO UPDATE SET sync_token = excluded.sync_token,
       full_count = COALESCE(?, ashby_sync_state.full_count), synced_at = excluded.synced_at`,
  ).run(clientId, stream, token, fullCount ?? 0, isoNow(clock), fullCount);
}

/** Drops the client's mirror, for example after the client is connected to another tenant. */
export function clearIndex(db: Database.Database, clientId: number): void {
  db.transaction(() => {
    prepareCached(db, 'DELETE FROM ashby_identity_keys WHERE client_id = ?').run(clientId);
    prepareCached(db, 'DELETE FROM ashby_candidates WHERE client_id = ?').run(clientId);
    prepareCached(db, 'DELETE FROM ashby_applications WHERE client_id = ?').run(clientId);
    prepareCached(db, 'DELETE FROM ashby_sync_state WHERE client_id = ?').run(clientId);
  })();
}

export interface StreamResult {
  calls: number;
  records: number;
  full: boolean;
}

/** Stores records in one transaction per turn of the event loop. */
async function storeInTurns<T>(db: Database.Database, items: readonly T[], store: (record: T) => void): Promise<void> {
  const turn = new TurnBudget();
  let next = 0;
  const storeTurn = db.transaction(() => {
    while (next < items.length) {
      store(items[next] as T);
      next += 1;
      if (turn.spent) return;
    }
  });
  while (next < items.length) {
    storeTurn();
    await turn.next();
  }
}

/**
 * Reads one stream page by page. Each page is stored in transactions of a few milliseconds, with
 * the event loop running between them, and the sync token is saved only once the last page is
 * stored. Starts from the stored sync token. When Ashby rejects the token, reads the stream in full.
 */
async function syncStream<T>(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  stream: string,
  fetchPage: (page: { cursor?: string; syncToken?: string }) => Promise<AshbyPage<T>>,
  store: (record: T) => void,
): Promise<StreamResult> {
  const state = getSyncState(db, clientId, stream);
  let syncToken = state?.sync_token ?? undefined;
  let calls = 0;

  for (let restart = 0; restart < 2; restart += 1) {
    const full = syncToken === undefined;
    let cursor: string | undefined;
    let records = 0;
    try {
      for (;;) {
        const request: { cursor?: string; syncToken?: string } = {};
        if (cursor !== undefined) request.cursor = cursor;
        if (syncToken !== undefined) request.syncToken = syncToken;
        calls += 1;
        const page = await fetchPage(request);
        await storeInTurns(db, page.items, store);
        records += page.items.length;
        if (!page.moreDataAvailable || page.nextCursor === undefined) {
          saveSyncState(db, clock, clientId, stream, page.syncToken ?? null, full ? records : null);
          return { calls, records, full };
        }
        cursor = page.nextCursor;
      }
    } catch (error) {
      if (
        restart === 0 &&
        !full &&
        isAshbyError(error) &&
        error.kind === 'api' &&
        RESTART_CODES.has(error.ashbyCode)
      ) {
        syncToken = undefined;
        continue;
      }
      throw error;
    }
  }
  throw new Error(`the ${stream} stream could not be read in full`);
}

export async function refreshCandidates(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  port: AshbyPort,
  signal?: AbortSignal,
): Promise<StreamResult> {
  return syncStream(
    db,
    clock,
    clientId,
    CANDIDATE_STREAM,
    (page) => port.listCandidates(page, signal),
    (record) => upsertIndexedCandidate(db, clock, clientId, record),
  );
}

export async function refreshApplications(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  jobId: string,
  port: AshbyPort,
  signal?: AbortSignal,
): Promise<StreamResult> {
  return syncStream(
    db,
    clock,
    clientId,
    applicationStream(jobId),
    (page) => port.listApplications({ ...page, jobId }, signal),
    (record) => upsertIndexedApplication(db, clock, clientId, record),
  );
}

/** Ashby's maximum page size for list endpoints. */
export const PAGE_SIZE = 100;

/**
 * Estimates the calls a full index build costs: one per 100 candidates the last full pass read,
 * or `unknownTenantPages` for a tenant never read.
 */
export function estimatedBuildCalls(
  db: Database.Database,
  clientId: number,
  unknownTenantPages: number,
): number {
  const state = getSyncState(db, clientId, CANDIDATE_STREAM);
  if (state === undefined) return unknownTenantPages;
  return Math.max(1, Math.ceil(state.full_count / PAGE_SIZE));
}
