// Classifies staged rows against the stored roles and candidates, and writes them. An import
// writes them a turn of the event loop at a time, each turn in its own transaction, and adds a
// lifecycle event for every state a candidate enters. A preview only classifies them.
import type Database from 'better-sqlite3';
import { EVENT_FOR_STATE } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { enqueueLifecycleEvent, type EnqueueBatch } from '../engine/enqueue.js';
import type { ImportReport, StaleRow } from './format.js';
import { getRoleByExternalId, upsertRole } from '../store/repo/roles.js';
import {
  findCandidate,
  insertCandidate,
  updateCandidate,
  type CandidateRecord,
  type CandidateValues,
} from './records.js';
import type { ImportStage, StagedRow } from './stage.js';
import type { TurnBudget } from '../turns.js';

export type ApplyCounts = Omit<
  ImportReport,
  'format' | 'rows' | 'rowsRejected' | 'rowsWithoutResume' | 'rejected'
>;

/** Counts of an import without its stale rows, which the journal keeps with the staged rows. */
export type WriteCounts = Omit<ApplyCounts, 'stale'>;

export function emptyCounts(): WriteCounts {
  return {
    rolesCreated: 0,
    rolesUpdated: 0,
    candidatesCreated: 0,
    candidatesUpdated: 0,
    unchanged: 0,
    eventsFired: 0,
  };
}

/** Values one import writes with: the client, its roles' ids by external id, the run and the time. */
export interface WriteContext {
  clientId: number;
  roleIds: ReadonlyMap<string, number>;
  runId: number | null;
  now: string;
}

/** Staged rows read back at a time; a turn usually ends before it has used them all. */
export const READ_AHEAD = 200;

function valuesOf(row: StagedRow, existing: CandidateRecord | undefined): CandidateValues {
  // A row without a usable resume keeps a stored one: a missing or broken file in a later export is
  // more likely a packaging slip than a request to forget the resume, and resumes are never deleted
  // remotely. Without a stored resume, the row's rejected file (or its lack of one) replaces any
  // earlier problem, so a problem is cleared once the export stops naming a bad file.
  const keepResume =
    row.resume_sha256 === null && existing !== undefined && existing.resume_sha256 !== null;
  return {
    name: row.name,
    email: row.email,
    emailKey: row.email_key,
    linkedinUrl: row.linkedin_url,
    linkedinSlug: row.linkedin_slug,
    phone: row.phone,
    resumeSha256: keepResume ? existing.resume_sha256 : row.resume_sha256,
    resumeFileName: keepResume ? existing.resume_file_name : row.resume_file_name,
    resumeSize: keepResume ? existing.resume_size : row.resume_size,
    resumeContentType: keepResume ? existing.resume_content_type : row.resume_content_type,
    resumeProblem: keepResume ? null : row.resume_problem,
    state: row.state,
    stateChangedAt: row.state_changed_at,
  };
}

function sameValues(values: CandidateValues, existing: CandidateRecord): boolean {
  return (
    values.name === existing.name &&
    values.email === existing.email &&
    values.emailKey === existing.email_key &&
    values.linkedinUrl === existing.linkedin_url &&
    values.linkedinSlug === existing.linkedin_slug &&
    values.phone === existing.phone &&
    values.resumeSha256 === existing.resume_sha256 &&
    values.resumeFileName === existing.resume_file_name &&
    values.resumeProblem === existing.resume_problem &&
    values.state === existing.state &&
    values.stateChangedAt === existing.state_changed_at
  );
}

function staleRow(row: StagedRow, existing: CandidateRecord, reason: string): StaleRow {
  return {
    ...(row.line !== null ? { line: row.line } : {}),
    ...(row.path !== null ? { path: row.path } : {}),
    roleId: row.role_external_id,
    candidateId: row.candidate_external_id,
    field: row.line !== null ? 'state_changed_at' : 'stateChangedAt',
    value: row.state_changed_at,
    storedState: existing.state,
    storedStateChangedAt: existing.state_changed_at,
    reason,
  };
}

/** Effect of a staged row on the stored candidate with the same role and candidate id. */
export type RowChange =
  | { kind: 'create'; values: CandidateValues }
  | { kind: 'update'; values: CandidateValues; fires: boolean }
  | { kind: 'unchanged' }
  | { kind: 'stale'; reason: string };

/**
 * Classifies one row. A new candidate is created and fires the event of its state. A known one
 * is updated only when its `stateChangedAt` is not older than the stored one, and it fires an
 * event only when the state differs. An older timestamp, or the same timestamp with a different
 * state, keeps the stored candidate: the row is stale.
 */
export function classifyRow(row: StagedRow, existing: CandidateRecord | undefined): RowChange {
  if (!existing) return { kind: 'create', values: valuesOf(row, undefined) };
  if (row.state_changed_at < existing.state_changed_at) {
    return {
      kind: 'stale',
      reason: `stateChangedAt ${row.state_changed_at} is older than the stored ${existing.state_changed_at} (state ${existing.state}); the stored candidate is kept`,
    };
  }
  if (row.state_changed_at === existing.state_changed_at && row.state !== existing.state) {
    return {
      kind: 'stale',
      reason: `state ${row.state} has the same stateChangedAt as the stored state ${existing.state}, so it is not known which is newer; the stored candidate is kept`,
    };
  }
  const values = valuesOf(row, existing);
  if (sameValues(values, existing)) return { kind: 'unchanged' };
  return { kind: 'update', values, fires: row.state !== existing.state };
}

/** Creates or retitles the import's roles and returns their ids by external id. Runs in the caller's transaction. */
export function upsertRoles(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  roles: ReadonlyMap<string, string>,
  counts: WriteCounts,
): Map<string, number> {
  const roleIds = new Map<string, number>();
  for (const [externalId, title] of roles) {
    const existing = getRoleByExternalId(db, clientId, externalId);
    const role = upsertRole(db, clock, { clientId, externalId, title });
    roleIds.set(externalId, role.id);
    if (!existing) counts.rolesCreated += 1;
    else if (existing.title !== title) counts.rolesUpdated += 1;
  }
  return roleIds;
}

/**
 * Writes one staged row and fires its event. Must run inside a transaction, with the row's event,
 * so both are committed together or not at all; `batch` belongs to that transaction. Returns the
 * stale row for a row that kept the stored candidate, or null.
 */
export function writeRow(
  db: Database.Database,
  clock: Clock,
  context: WriteContext,
  row: StagedRow,
  counts: WriteCounts,
  batch: EnqueueBatch,
): StaleRow | null {
  const roleId = context.roleIds.get(row.role_external_id);
  if (roleId === undefined)
    throw new Error(
      `staged row ${row.seq} names role ${row.role_external_id}, which was not staged`,
    );
  const existing = findCandidate(db, roleId, row.candidate_external_id);
  const change = classifyRow(row, existing);
  const fire = (candidateId: number): void => {
    enqueueLifecycleEvent(
      db,
      clock,
      {
        clientId: context.clientId,
        roleId,
        candidateId,
        event: EVENT_FOR_STATE[row.state],
        origin: 'import',
        runId: context.runId,
      },
      batch,
    );
    counts.eventsFired += 1;
  };
  switch (change.kind) {
    case 'create': {
      const candidateId = insertCandidate(
        db,
        { clientId: context.clientId, roleId, externalId: row.candidate_external_id },
        change.values,
        context.now,
      );
      counts.candidatesCreated += 1;
      fire(candidateId);
      return null;
    }
    case 'update':
      updateCandidate(db, (existing as CandidateRecord).id, change.values, context.now);
      counts.candidatesUpdated += 1;
      if (change.fires) fire((existing as CandidateRecord).id);
      return null;
    case 'unchanged':
      counts.unchanged += 1;
      return null;
    case 'stale':
      counts.unchanged += 1;
      return staleRow(row, existing as CandidateRecord, change.reason);
  }
}

/**
 * Counts what writing the staged rows would do, without writing: the preview of an import. Reads
 * a turn's worth of rows at a time and yields between turns.
 */
export async function previewRows(
  db: Database.Database,
  clientId: number,
  roles: ReadonlyMap<string, string>,
  stage: ImportStage,
  turn: TurnBudget,
): Promise<ApplyCounts> {
  const counts: ApplyCounts = { ...emptyCounts(), stale: [] };
  const roleIds = new Map<string, number>();
  for (const [externalId, title] of roles) {
    const existing = getRoleByExternalId(db, clientId, externalId);
    if (!existing) counts.rolesCreated += 1;
    else {
      roleIds.set(externalId, existing.id);
      if (existing.title !== title) counts.rolesUpdated += 1;
    }
  }
  let after = 0;
  for (;;) {
    const rows = stage.rowsAfter(after, READ_AHEAD);
    if (rows.length === 0) return counts;
    for (const row of rows) {
      const roleId = roleIds.get(row.role_external_id);
      const existing =
        roleId === undefined ? undefined : findCandidate(db, roleId, row.candidate_external_id);
      const change = classifyRow(row, existing);
      if (change.kind === 'create') counts.candidatesCreated += 1;
      if (change.kind === 'update') counts.candidatesUpdated += 1;
      if (change.kind === 'unchanged' || change.kind === 'stale') counts.unchanged += 1;
      if (change.kind === 'stale')
        counts.stale.push(staleRow(row, existing as CandidateRecord, change.reason));
      if (change.kind === 'create' || (change.kind === 'update' && change.fires))
        counts.eventsFired += 1;
      after = row.seq;
      await turn.pace();
    }
  }
}
