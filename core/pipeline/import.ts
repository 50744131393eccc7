// Imports a Jack & Jill pipeline export (JSON or CSV) into one client's roles and candidates.
//
// The work has two halves. Reading is asynchronous: the file is streamed, every row validated,
// every resume checked, hashed and copied into the data folder, and good rows are staged under a
// journal entry. The import then commits in one transaction, and the staged rows are written a
// turn of the event loop at a time (see journal.ts). A failure or a crash before the commit leaves
// the stored data as it was. After the commit, the import is finished, if need be by the next
// process that opens the data folder.
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { createLogger, type Logger } from '../log/logger.js';
import { previewRows } from './apply.js';
import {
  CSV_FIELD_NAMES,
  JSON_FIELD_NAMES,
  PipelineImportError,
  describeLocation,
  locationFields,
  type ImportProgress,
  type ImportReport,
  type PipelineFormat,
  type PreviewReport,
  type PreviewRole,
  type RejectedRow,
  type RowLocation,
} from './format.js';
import { readCsvRows } from './read-csv.js';
import { readJsonRows } from './read-json.js';
import { getClient } from '../store/repo/clients.js';
import { checkResume, resolveResumePath, ResumeCopier, type ResumeCheck } from './resume.js';
import {
  commitImport,
  discardImport,
  openImport,
  touchImport,
  writeImport,
  type ReadFindings,
} from './journal.js';
import { ImportStage } from './stage.js';
import { TurnBudget } from '../turns.js';
import { detectFormat, fileSize } from './source.js';
import { validateRow } from './validate.js';

export * from './format.js';
export { detectFormat } from './source.js';

export interface PreviewOptions {
  file: string;
  /** With `db` and `clientId`, the preview also reports what an import would change (nothing is written). */
  db?: Database.Database;
  clientId?: number;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportOptions {
  clock: Clock;
  clientId: number;
  file: string;
  /** Data folder; resumes are copied to `<dataDir>/resumes/<sha256>`. */
  dataDir: string;
  /** Called while reading (every 1,000 rows) and writing (every batch), and once when done. */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Aborting while the file is read leaves the database as it was. Once the import has committed
   * (progress phase `writing`) it is finished regardless.
   */
  signal?: AbortSignal;
  /** Run the lifecycle events belong to, if the caller tracks the import as a run. */
  runId?: number | null;
  /** Actor recorded in the audit log. Default `import`. */
  actor?: string;
  logger?: Logger;
}

const PROGRESS_EVERY_ROWS = 1000;

interface RoleSeen {
  title: string;
  location: RowLocation;
  candidates: number;
}

interface ReadResult {
  format: PipelineFormat;
  rows: number;
  rowsRejected: number;
  rowsWithoutResume: number;
  rejected: RejectedRow[];
  roles: Map<string, RoleSeen>;
}

/** Milliseconds between two renewals of an import's journal heartbeat while the file is read. */
const HEARTBEAT_EVERY_MS = 5000;

interface ReadOptions {
  file: string;
  /** Called every few seconds while reading, to renew the journal heartbeat. */
  heartbeat?: () => void;
  /** Copies the resumes of good rows; without it resumes are only checked. */
  resumeCopier?: ResumeCopier;
  stage: ImportStage | null;
  progress: ProgressTracker;
  signal?: AbortSignal;
}

class ProgressTracker {
  current: ImportProgress;
  constructor(
    totalBytes: number,
    private readonly listener?: (progress: ImportProgress) => void,
  ) {
    this.current = { phase: 'reading', rowsRead: 0, rowsWritten: 0, bytesRead: 0, totalBytes };
  }
  update(change: Partial<ImportProgress>, emit: boolean): void {
    this.current = { ...this.current, ...change };
    if (emit) this.listener?.({ ...this.current });
  }
}

/** Streams the file, validates each row, checks and copies resumes, and stages the good rows. */
async function readExport(options: ReadOptions): Promise<ReadResult> {
  const { file, resumeCopier, stage, progress, signal, heartbeat } = options;
  const format = await detectFormat(file);
  const fieldNames = format === 'csv' ? CSV_FIELD_NAMES : JSON_FIELD_NAMES;
  const result: ReadResult = {
    format,
    rows: 0,
    rowsRejected: 0,
    rowsWithoutResume: 0,
    rejected: [],
    roles: new Map(),
  };

  // First location of each accepted (role, candidate) pair, to name it in duplicates: a CSV line
  // number or a JSON path, not the location object, so 50,000 entries stay a few megabytes.
  // NOTE: this map and the rejected list grow with the file; everything else read is bounded.
  const seen = new Map<string, number | string>();
  // One check per resume file, however many rows name it.
  const resumes = new Map<string, { check: ResumeCheck; copied: boolean }>();

  const onBytes = (bytes: number): void => progress.update({ bytesRead: bytes }, false);
  const items = format === 'csv' ? readCsvRows(file, onBytes, signal) : readJsonRows(file, onBytes);

  // Parsed rows arrive without I/O between them, so the loop hands the event loop back itself.
  const turn = new TurnBudget();
  let lastBeat = performance.now();
  for await (const item of items) {
    signal?.throwIfAborted();
    await turn.pace();
    if (heartbeat !== undefined && performance.now() - lastBeat >= HEARTBEAT_EVERY_MS) {
      heartbeat();
      lastBeat = performance.now();
    }
    if (item.kind === 'rejected') {
      result.rejected.push(item.rejected);
      if (item.rejected.line !== undefined || item.rejected.path?.includes('.candidates[')) {
        result.rows += 1;
        result.rowsRejected += 1;
      }
      continue;
    }
    if (item.kind === 'role') {
      const id =
        typeof item.roleId === 'string' || typeof item.roleId === 'number'
          ? String(item.roleId).trim()
          : '';
      const title = typeof item.roleTitle === 'string' ? item.roleTitle.trim() : '';
      if (id !== '' && title !== '') {
        if (!result.roles.has(id))
          result.roles.set(id, { title, location: { path: item.path }, candidates: 0 });
      } else {
        result.rejected.push({
          path: item.path,
          field: id === '' ? 'id' : 'title',
          value: (id === '' ? item.roleId : item.roleTitle) ?? null,
          code: 'invalid_role',
          reason: `role ${id === '' ? 'id' : 'title'} is missing or not a string; its candidates cannot be imported`,
        });
      }
      continue;
    }

    const raw = item.row;
    result.rows += 1;
    const location = locationFields(raw.location);
    const validation = validateRow(raw, format);
    const rejected = validation.ok ? [] : [...validation.rejected];
    const valid = validation.ok ? validation.row : null;

    // The role is registered from any row whose role fields are usable, even a rejected one, so
    // the role exists for the next import of a corrected file.
    const roleId =
      typeof raw.roleId === 'string' || typeof raw.roleId === 'number'
        ? String(raw.roleId).trim()
        : '';
    const roleTitle = typeof raw.roleTitle === 'string' ? raw.roleTitle.trim() : '';
    if (roleId !== '' && roleTitle !== '') {
      const role = result.roles.get(roleId);
      if (!role) {
        result.roles.set(roleId, { title: roleTitle, location: raw.location, candidates: 0 });
      } else if (role.title !== roleTitle) {
        rejected.push({
          ...location,
          field: fieldNames.roleTitle,
          value: raw.roleTitle,
          code: 'role_title_conflict',
          reason: `role ${roleId} is titled "${role.title}" at ${describeLocation(role.location)} but "${roleTitle}" here; one role has one title`,
        });
      }
    }

    if (valid) {
      const key = `${valid.roleId}\u0000${valid.candidateId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        rejected.push({
          ...location,
          field: fieldNames.candidateId,
          value: raw.candidateId,
          code: 'duplicate_candidate_id',
          reason: `duplicate candidate id ${valid.candidateId} in role ${valid.roleId}; first given at ${typeof first === 'number' ? `line ${first}` : first}, which is the one imported`,
        });
      }
    }

    const resumeText = typeof raw.resume === 'string' ? raw.resume.trim() : '';
    let resume: ResumeCheck = { ok: true, resume: null };
    if (resumeText !== '') {
      const absolute = resolveResumePath(file, resumeText);
      // Only a row that will be imported has its resume copied into the data folder.
      const copier = rejected.length === 0 ? resumeCopier : undefined;
      const cached = resumes.get(absolute);
      if (cached && (cached.copied || copier === undefined || !cached.check.ok)) {
        resume = cached.check;
      } else {
        resume = await checkResume(absolute, resumeText, copier);
        resumes.set(absolute, { check: resume, copied: copier !== undefined });
      }
    }

    if (rejected.length > 0 || !valid) {
      if (!resume.ok) {
        rejected.push({
          ...location,
          field: fieldNames.resume,
          value: raw.resume,
          code: resume.code,
          reason: resume.reason,
        });
      }
      result.rejected.push(...rejected);
      result.rowsRejected += 1;
    } else {
      seen.set(
        `${valid.roleId}\u0000${valid.candidateId}`,
        'line' in raw.location ? raw.location.line : raw.location.path,
      );
      const role = result.roles.get(valid.roleId);
      if (role) role.candidates += 1;
      if (resume.ok) {
        stage?.add(location, valid, resume.resume);
      } else {
        // A bad resume file alone does not drop the candidate: the row is imported without it and
        // the reason is stored, so the push records the resume step as failed with that reason.
        result.rejected.push({
          ...location,
          field: fieldNames.resume,
          value: raw.resume,
          code: resume.code,
          reason: resume.reason,
          rowKept: true,
        });
        result.rowsWithoutResume += 1;
        stage?.add(location, valid, null, {
          fileName: path.basename(resumeText),
          reason: resume.reason,
        });
      }
    }

    progress.update({ rowsRead: result.rows }, result.rows % PROGRESS_EVERY_ROWS === 0);
  }
  stage?.flush();
  progress.update({ rowsRead: result.rows }, true);
  return result;
}

function requireClient(db: Database.Database, clientId: number): void {
  if (!getClient(db, clientId)) {
    throw new PipelineImportError(
      'client_not_found',
      `client ${clientId} not found; add the client before importing`,
    );
  }
}

function roleTitles(roles: Map<string, RoleSeen>): Map<string, string> {
  return new Map([...roles].map(([id, role]) => [id, role.title]));
}

/**
 * Reads and validates an export without importing it: the roles and candidate counts found, and
 * every rejected row. Resumes are checked but not copied. With `db` and `clientId`, it also
 * computes what an import would create, update and fire; it writes nothing.
 */
export async function previewPipelineFile(options: PreviewOptions): Promise<PreviewReport> {
  const { db, clientId } = options;
  const withChanges = db !== undefined && clientId !== undefined;
  if (withChanges) requireClient(db, clientId);

  const progress = new ProgressTracker(await fileSize(options.file), options.onProgress);
  const stage = withChanges ? ImportStage.temporary(db) : null;
  try {
    const read = await readExport({ file: options.file, stage, progress, signal: options.signal });
    const roles: PreviewRole[] = [...read.roles].map(([id, role]) => ({
      id,
      title: role.title,
      candidates: role.candidates,
    }));
    const report: PreviewReport = {
      format: read.format,
      rows: read.rows,
      rowsRejected: read.rowsRejected,
      rowsWithoutResume: read.rowsWithoutResume,
      roles,
      rejected: read.rejected,
    };

    if (withChanges && stage) {
      report.changes = await previewRows(
        db,
        clientId,
        roleTitles(read.roles),
        stage,
        new TurnBudget(),
      );
    }
    progress.update({ phase: 'done' }, true);
    return report;
  } finally {
    stage?.drop();
  }
}

/**
 * Imports an export into one client. Returns the report; throws PipelineImportError when the
 * file cannot be used at all (nothing is written then) and an AbortError when `signal` fires.
 */
export async function importPipelineFile(
  db: Database.Database,
  options: ImportOptions,
): Promise<ImportReport> {
  const logger = options.logger ?? createLogger('import');
  const { clientId, file, clock } = options;
  requireClient(db, clientId);

  const progress = new ProgressTracker(await fileSize(file), options.onProgress);
  const started = clock.now();
  const importId = openImport(db, clock, {
    clientId,
    fileName: path.basename(file),
    actor: options.actor ?? 'import',
    runId: options.runId ?? null,
  });
  let committed = false;
  try {
    const stage = ImportStage.forImport(db, importId);
    const resumeCopier = new ResumeCopier(options.dataDir);
    let read: ReadResult;
    try {
      read = await readExport({
        file,
        resumeCopier,
        stage,
        progress,
        signal: options.signal,
        heartbeat: () => touchImport(db, clock, importId),
      });
    } finally {
      // Copies still running must not outlive a failed read unobserved.
      await resumeCopier.drain().catch(() => undefined);
    }
    await resumeCopier.drain();
    options.signal?.throwIfAborted();

    const findings: ReadFindings = {
      format: read.format,
      rows: read.rows,
      rowsRejected: read.rowsRejected,
      rowsWithoutResume: read.rowsWithoutResume,
      rejected: read.rejected,
      roles: [...roleTitles(read.roles)],
    };
    commitImport(db, clock, importId, findings);
    committed = true;
    progress.update({ phase: 'writing' }, true);
    const report = await writeImport(db, clock, importId, {
      logger,
      onProgress: (rowsWritten) => progress.update({ rowsWritten }, true),
    });

    progress.update({ phase: 'done' }, true);
    logger.info(
      {
        clientId,
        file: path.basename(file),
        rows: report.rows,
        rowsRejected: report.rowsRejected,
        rowsWithoutResume: report.rowsWithoutResume,
        candidatesCreated: report.candidatesCreated,
        candidatesUpdated: report.candidatesUpdated,
        eventsFired: report.eventsFired,
        ms: clock.now() - started,
      },
      'imported pipeline export',
    );
    return report;
  } catch (error) {
    if (committed) {
      // The rows not yet written stay in the journal; finishInterruptedImports goes on from there.
      logger.warn(
        { clientId, file: path.basename(file), err: error },
        'pipeline import stopped while writing; the rest is written when the console next starts',
      );
      throw error;
    }
    await discardImport(db, importId).catch((cleanupError: unknown) => {
      logger.warn(
        { clientId, err: cleanupError },
        'could not drop the staged rows of a failed import; they are dropped when the console next starts',
      );
    });
    // A file the user must fix is an expected outcome, not a fault of the console.
    if (error instanceof PipelineImportError) {
      logger.info(
        { clientId, file: path.basename(file), code: error.code },
        'pipeline import rejected the file; the database was left unchanged',
      );
    } else if (error instanceof Error && error.name === 'AbortError') {
      logger.info(
        { clientId, file: path.basename(file) },
        'pipeline import cancelled; the database was left unchanged',
      );
    } else {
      logger.warn(
        { clientId, file: path.basename(file), err: error },
        'pipeline import failed; the database was left unchanged',
      );
    }
    throw error;
  }
}
