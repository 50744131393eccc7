// The synchronous half of an import: writes staged rows into roles and candidates and adds a
// lifecycle event for every state a candidate enters. Runs inside the caller's transaction.
import type Database from 'better-sqlite3';
import { EVENT_FOR_STATE } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { enqueueLifecycleEvent } from '../engine/enqueue.js';
import type { ImportReport, StaleRow } from './format.js';
import { getRoleByExternalId, upsertRole } from '../store/repo/roles.js';
import { findCandidate, insertCandidate, updateCandidate, type CandidateRecord, type CandidateValues } from './records.js';
import type { ImportStage, StagedRow } from './stage.js';

export type ApplyCounts = Omit<ImportReport, 'format' | 'rows' | 'rowsRejected' | 'rowsWithoutResume' | 'rejected'>;

export interface ApplyInput {
  clientId: number;
  /** Role external id → title, in the order the file first names each role. */
  roles: ReadonlyMap<string, string>;
  stage: ImportStage;
  runId?: number | null;
  now: string;
  /** Called after each batch with the number of rows written so far. */
  onBatch?: (rowsWritten: number) => void;
  signal?: AbortSignal;
}

const APPLY_BATCH = 1000;

function valuesOf(row: StagedRow, existing: CandidateRecord | undefined): CandidateValues {
  // A row without a usable resume keeps a stored one: a missing or broken file in a later export is
  // more likely a packaging slip than a request to forget the resume, and resumes are never deleted
  // remotely. Without a stored resume, the row's rejected file (or its lack of one) replaces any
  // earlier problem, so a problem is cleared once the export stops naming a bad file.
  const keepResume = row.resume_sha256 === null && existing !== undefined && existing.resume_sha256 !== null;
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

/**
 * Applies the staged rows. Must run inside a transaction: it performs many writes and relies on
 * a thrown error (including an abort) to roll all of them back.
 *
 * Candidates are keyed by (role, candidate id). A new candidate is inserted and fires the event
 * of its state. A known one is updated only when its `stateChangedAt` is not older than the
 * stored one, and it fires an event only when the state differs. An older timestamp, or the same
 * timestamp with a different state, leaves the stored row as it is and is listed in `stale`.
 */
export function applyStagedRows(db: Database.Database, clock: Clock, input: ApplyInput): ApplyCounts {
  const counts: ApplyCounts = {
    rolesCreated: 0,
    rolesUpdated: 0,
    candidatesCreated: 0,
    candidatesUpdated: 0,
    unchanged: 0,
    eventsFired: 0,
    stale: [],
  };

  const roleIds = new Map<string, number>();
  for (const [externalId, title] of input.roles) {
    const existing = getRoleByExternalId(db, input.clientId, externalId);
    const role = upsertRole(db, clock, { clientId: input.clientId, externalId, title });
    roleIds.set(externalId, role.id);
    if (!existing) counts.rolesCreated += 1;
    else if (existing.title !== title) counts.rolesUpdated += 1;
  }

  const fire = (roleId: number, candidateId: number, row: StagedRow): void => {
    enqueueLifecycleEvent(db, clock, {
      clientId: input.clientId,
      roleId,
      candidateId,
      event: EVENT_FOR_STATE[row.state],
      origin: 'import',
      runId: input.runId ?? null,
    });
    counts.eventsFired += 1;
  };

  let written = 0;
  for (const batch of input.stage.batches(APPLY_BATCH)) {
    input.signal?.throwIfAborted();
    for (const row of batch) {
      const roleId = roleIds.get(row.role_external_id);
      if (roleId === undefined) throw new Error(`staged row ${row.seq} names role ${row.role_external_id}, which was not staged`);

      const existing = findCandidate(db, roleId, row.candidate_external_id);
      if (!existing) {
        const keys = { clientId: input.clientId, roleId, externalId: row.candidate_external_id };
        const candidateId = insertCandidate(db, keys, valuesOf(row, undefined), input.now);
        counts.candidatesCreated += 1;
        fire(roleId, candidateId, row);
        continue;
      }

      if (row.state_changed_at < existing.state_changed_at) {
        counts.unchanged += 1;
        counts.stale.push(
          staleRow(
            row,
            existing,
            `stateChangedAt ${row.state_changed_at} is older than the stored ${existing.state_changed_at} (state ${existing.state}); the stored candidate is kept`,
          ),
        );
        continue;
      }
      if (row.state_changed_at === existing.state_changed_at && row.state !== existing.state) {
        counts.unchanged += 1;
        counts.stale.push(
          staleRow(
            row,
            existing,
            `state ${row.state} has the same stateChangedAt as the stored state ${existing.state}, so it is not known which is newer; the stored candidate is kept`,
          ),
        );
        continue;
      }

      const values = valuesOf(row, existing);
      if (sameValues(values, existing)) {
        counts.unchanged += 1;
        continue;
      }
      updateCandidate(db, existing.id, values, input.now);
      counts.candidatesUpdated += 1;
      if (row.state !== existing.state) fire(roleId, existing.id, row);
    }
    written += batch.length;
    input.onBatch?.(written);
  }
  return counts;
}
