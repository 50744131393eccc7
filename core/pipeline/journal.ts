// The import journal (tables `imports` and `import_rows`, migration 007).
//
// An import stages its good rows under a journal entry while it reads the file. It commits in one
// transaction that creates or retitles the roles and turns the entry to 'writing'. The rows are
// then written a turn of the event loop at a time, each turn in a transaction of its own that
// deletes the rows it wrote. Before the commit, a failure, a cancel or a crash leaves the stored
// data as it was. After it, the import is finished: by the same call, or after a crash by the next
// process that opens the data folder.
import type Database from 'better-sqlite3';
import { isoNow, type Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import { EnqueueBatch } from '../engine/enqueue.js';
import { appendAudit } from '../store/repo/audit.js';
import { getRoleByExternalId } from '../store/repo/roles.js';
import { prepareCached } from '../store/statements.js';
import { yieldToEventLoop } from '../turns.js';
import {
  emptyCounts,
  READ_AHEAD,
  upsertRoles,
  writeRow,
  type WriteContext,
  type WriteCounts,
} from './apply.js';
import type { ImportReport, PipelineFormat, RejectedRow, StaleRow } from './format.js';
import { ImportStage, type StagedRow } from './stage.js';

/** An import whose heartbeat is older than this was left by a process that stopped. */
export const IMPORT_HEARTBEAT_TIMEOUT_MS = 30_000;

/**
 * Milliseconds of one write turn: reading staged rows, writing them and the commit. Longer than
 * the default turn, because every commit rewrites the index pages its rows touched, so fewer,
 * larger turns write far less to the -wal file.
 */
const WRITE_TURN_MS = 14;
/** Rows deleted per transaction when an import that never committed is dropped. */
const DISCARD_BATCH = 2000;

/** Findings of the read phase, stored at the commit so that a restarted process can finish the report. */
export interface ReadFindings {
  format: PipelineFormat;
  rows: number;
  rowsRejected: number;
  rowsWithoutResume: number;
  rejected: RejectedRow[];
  /** [external id, title] of each role, in the order the file first names it. */
  roles: [string, string][];
}

interface ImportEntry {
  id: number;
  client_id: number;
  file_name: string;
  actor: string;
  run_id: number | null;
  status: 'reading' | 'writing';
  read_report: string | null;
  counts: string | null;
  written_at: string | null;
}

export interface JournalEntryInput {
  clientId: number;
  fileName: string;
  actor: string;
  runId: number | null;
}

/** Opens a journal entry in 'reading' and returns its id. */
export function openImport(db: Database.Database, clock: Clock, input: JournalEntryInput): number {
  const now = isoNow(clock);
  return Number(
    prepareCached(
      db,
      `INSERT INTO imports (client_id, file_name, actor, run_id, status, heartbeat_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'reading', ?, ?, ?)`,
    ).run(input.clientId, input.fileName, input.actor, input.runId, now, now, now).lastInsertRowid,
  );
}

/** Renews the entry's heartbeat, so other processes leave it to this one. */
export function touchImport(db: Database.Database, clock: Clock, importId: number): void {
  prepareCached(db, 'UPDATE imports SET heartbeat_at = ? WHERE id = ?').run(
    isoNow(clock),
    importId,
  );
}

/** Drops an entry that never committed, with its staged rows, a transaction at a time. */
export async function discardImport(db: Database.Database, importId: number): Promise<void> {
  const deleteSome = prepareCached(
    db,
    'DELETE FROM import_rows WHERE import_id = ? AND seq IN (SELECT seq FROM import_rows WHERE import_id = ? LIMIT ?)',
  );
  while (deleteSome.run(importId, importId, DISCARD_BATCH).changes > 0) await yieldToEventLoop();
  prepareCached(db, 'DELETE FROM imports WHERE id = ?').run(importId);
}

/**
 * Commits the import: creates or retitles the roles and turns the entry to 'writing', in one
 * transaction. From here on the import is finished even if this process stops.
 */
export function commitImport(
  db: Database.Database,
  clock: Clock,
  importId: number,
  findings: ReadFindings,
): void {
  const entry = getEntry(db, importId);
  if (entry === undefined || entry.status !== 'reading')
    throw new Error(`import ${importId} is not waiting to commit`);
  const now = isoNow(clock);
  db.transaction(() => {
    const counts = emptyCounts();
    upsertRoles(db, clock, entry.client_id, new Map(findings.roles), counts);
    prepareCached(
      db,
      `UPDATE imports SET status = 'writing', read_report = ?, counts = ?, written_at = ?, heartbeat_at = ?, updated_at = ?
       WHERE id = ?`,
    ).run(JSON.stringify(findings), JSON.stringify(counts), now, now, now, importId);
  })();
}

export interface WriteOptions {
  /** Called after each turn with the rows written so far. */
  onProgress?: (rowsWritten: number) => void;
  logger: Logger;
  /** True when this process took the import over from one that stopped. */
  resumed?: boolean;
}

/**
 * Writes a committed import's staged rows, then records it in the audit log and removes the
 * entry. Returns the report. A failure leaves the entry 'writing' with the rows not yet written,
 * so the next attempt goes on from there.
 */
export async function writeImport(
  db: Database.Database,
  clock: Clock,
  importId: number,
  options: WriteOptions,
): Promise<ImportReport> {
  const entry = getEntry(db, importId);
  if (
    entry === undefined ||
    entry.status !== 'writing' ||
    entry.read_report === null ||
    entry.counts === null ||
    entry.written_at === null
  ) {
    throw new Error(`import ${importId} has not committed`);
  }
  const findings = JSON.parse(entry.read_report) as ReadFindings;
  const counts = JSON.parse(entry.counts) as WriteCounts;
  const roleIds = new Map<string, number>();
  for (const [externalId] of findings.roles) {
    const role = getRoleByExternalId(db, entry.client_id, externalId);
    if (role) roleIds.set(externalId, role.id);
  }
  const context: WriteContext = {
    clientId: entry.client_id,
    roleIds,
    runId: entry.run_id,
    now: entry.written_at,
  };
  const stage = ImportStage.forImport(db, importId);
  const markStale = prepareCached(
    db,
    'UPDATE import_rows SET stale = ? WHERE import_id = ? AND seq = ?',
  );
  const deleteWritten = prepareCached(
    db,
    'DELETE FROM import_rows WHERE import_id = ? AND seq > ? AND seq <= ? AND stale IS NULL',
  );
  const saveCounts = prepareCached(
    db,
    'UPDATE imports SET counts = ?, heartbeat_at = ?, updated_at = ? WHERE id = ?',
  );

  // The last commit's duration. It grows with the rows of a turn, so the next turn stops writing
  // rows that much earlier.
  let commitMs = 0;
  let after = 0;
  // Rows read but not yet written: a turn often ends before the rows read for it.
  let pending: StagedRow[] = [];
  for (;;) {
    const turnStarted = performance.now();
    if (pending.length === 0) pending = stage.rowsAfter(after, READ_AHEAD);
    if (pending.length === 0) break;
    // Counted on a copy, so a turn that fails and rolls back leaves the counts as they were.
    const turnCounts = { ...counts };
    let written = 0;
    const rowsUntil = turnStarted + WRITE_TURN_MS - Math.min(commitMs, WRITE_TURN_MS / 2);
    let commitStarted = 0;
    db.transaction(() => {
      const batch = new EnqueueBatch(clock);
      for (const row of pending) {
        const stale = writeRow(db, clock, context, row, turnCounts, batch);
        if (stale !== null) markStale.run(JSON.stringify(stale), importId, row.seq);
        written += 1;
        if (performance.now() >= rowsUntil) break;
      }
      const last = (pending[written - 1] as StagedRow).seq;
      deleteWritten.run(importId, after, last);
      const now = isoNow(clock);
      saveCounts.run(JSON.stringify(turnCounts), now, now, importId);
      commitStarted = performance.now();
    })();
    commitMs = performance.now() - commitStarted;
    Object.assign(counts, turnCounts);
    after = (pending[written - 1] as StagedRow).seq;
    pending = pending.slice(written);
    options.onProgress?.(counts.candidatesCreated + counts.candidatesUpdated + counts.unchanged);
    await yieldToEventLoop();
  }

  const stale = (
    prepareCached(
      db,
      'SELECT stale FROM import_rows WHERE import_id = ? AND stale IS NOT NULL ORDER BY seq',
    )
      .pluck()
      .all(importId) as string[]
  ).map((json) => JSON.parse(json) as StaleRow);
  const report: ImportReport = {
    format: findings.format,
    rows: findings.rows,
    rowsRejected: findings.rowsRejected,
    rowsWithoutResume: findings.rowsWithoutResume,
    ...counts,
    rejected: findings.rejected,
    stale,
  };
  db.transaction(() => {
    appendAudit(db, clock, {
      clientId: entry.client_id,
      action: 'pipeline.import',
      outcome:
        report.rowsRejected > 0 || report.rowsWithoutResume > 0
          ? 'completed_with_rejections'
          : 'ok',
      message: importSummary(entry.file_name, report, options.resumed === true),
      actor: entry.actor,
      details: {
        file: entry.file_name,
        format: report.format,
        rows: report.rows,
        rowsRejected: report.rowsRejected,
        rowsWithoutResume: report.rowsWithoutResume,
        rolesCreated: report.rolesCreated,
        rolesUpdated: report.rolesUpdated,
        candidatesCreated: report.candidatesCreated,
        candidatesUpdated: report.candidatesUpdated,
        unchanged: report.unchanged,
        stale: report.stale.length,
        eventsFired: report.eventsFired,
        ...(options.resumed === true ? { finishedAfterRestart: true } : {}),
      },
    });
    prepareCached(db, 'DELETE FROM import_rows WHERE import_id = ?').run(importId);
    prepareCached(db, 'DELETE FROM imports WHERE id = ?').run(importId);
  })();
  return report;
}

/**
 * Takes over the imports left by processes that stopped: finishes the committed ones and drops
 * the others. Returns how many it finished. Safe to run while other processes import: an entry
 * with a recent heartbeat is left to its owner.
 */
export async function finishInterruptedImports(
  db: Database.Database,
  clock: Clock,
  logger: Logger,
): Promise<number> {
  const staleBefore = new Date(clock.now() - IMPORT_HEARTBEAT_TIMEOUT_MS).toISOString();
  const ids = prepareCached(db, 'SELECT id FROM imports WHERE heartbeat_at < ? ORDER BY id')
    .pluck()
    .all(staleBefore) as number[];
  let finished = 0;
  for (const id of ids) {
    // Claimed by renewing the heartbeat, so two processes starting together do not both take it.
    const claimed = prepareCached(
      db,
      'UPDATE imports SET heartbeat_at = ? WHERE id = ? AND heartbeat_at < ?',
    ).run(isoNow(clock), id, staleBefore);
    if (claimed.changes === 0) continue;
    const entry = getEntry(db, id);
    if (entry === undefined) continue;
    if (entry.status === 'reading') {
      await discardImport(db, id);
      logger.info(
        { clientId: entry.client_id, file: entry.file_name },
        'dropped an import that stopped before it committed; the stored data is as it was',
      );
      continue;
    }
    try {
      const report = await writeImport(db, clock, id, { logger, resumed: true });
      finished += 1;
      logger.info(
        {
          clientId: entry.client_id,
          file: entry.file_name,
          candidatesCreated: report.candidatesCreated,
          eventsFired: report.eventsFired,
        },
        'finished an import that a stopped process had committed',
      );
    } catch (error) {
      logger.warn(
        { clientId: entry.client_id, file: entry.file_name, err: error },
        'could not finish an interrupted import; it is tried again later',
      );
    }
  }
  return finished;
}

function getEntry(db: Database.Database, importId: number): ImportEntry | undefined {
  return prepareCached(
    db,
    'SELECT id, client_id, file_name, actor, run_id, status, read_report, counts, written_at FROM imports WHERE id = ?',
  ).get(importId) as ImportEntry | undefined;
}

function importSummary(fileName: string, report: ImportReport, resumed: boolean): string {
  const parts = [
    `Imported ${fileName}: ${report.rows} rows`,
    `${report.candidatesCreated} candidates created`,
    `${report.candidatesUpdated} updated`,
    `${report.unchanged} unchanged`,
    `${report.eventsFired} events queued`,
  ];
  if (report.rowsRejected > 0) parts.push(`${report.rowsRejected} rows rejected`);
  if (report.rowsWithoutResume > 0)
    parts.push(`${report.rowsWithoutResume} rows imported without their resume`);
  return parts.join(', ') + (resumed ? '; finished after the console restarted.' : '.');
}

/**
 * Runs finishInterruptedImports now and whenever an abandoned heartbeat may have expired, until
 * `stop()`, which waits for a pass under way.
 */
export function watchInterruptedImports(
  db: Database.Database,
  clock: Clock,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const pass = (): void => {
    running = running
      .then(() => finishInterruptedImports(db, clock, logger))
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'checking for interrupted imports failed');
      });
  };
  pass();
  const timer = setInterval(pass, IMPORT_HEARTBEAT_TIMEOUT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
