// Backup and restore of the console's SQLite database. A backup is written with `VACUUM INTO`,
// which copies one read transaction of the open connection, so it is consistent while the engine
// writes and includes commits still in the WAL. A restore is checked first: it must be a SQLite
// file written by this app, at a schema version this app can open, that passes `quick_check`. It
// is then staged in the data folder. `applyPendingRestore` swaps it in at the next start, before
// the store is opened, and keeps the replaced database beside it.
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import type { CompletedRestore, PendingRestore } from '../../shared/contract/app-updates.js';
import { isoNow, systemClock, type Clock } from '../clock.js';
import { latestVersion } from '../store/migrations/index.js';

/** Tables every console database has had since schema version 1. */
const REQUIRED_TABLES = ['clients', 'roles', 'candidates', 'outbox', 'runs', 'audit_log'] as const;
const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Staged copy that replaces the database at the next start, and its description. */
export const PENDING_RESTORE_FILE = 'restore-pending.sqlite';
export const PENDING_RESTORE_INFO = 'restore-pending.json';
/** Outcome of the last restore applied at start, shown once in the UI. */
export const LAST_RESTORE_INFO = 'restore-last.json';

export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
}

export interface BackupInspection {
  schemaVersion: number;
  clients: number;
}

/** Returns a file name for a backup taken now, e.g. `ashby-sync-console-backup-20261204-201500.sqlite`. */
export function defaultBackupName(clock: Clock = systemClock): string {
  const stamp = isoNow(clock).replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `ashby-sync-console-backup-${stamp}.sqlite`;
}

/**
 * Writes a consistent copy of `db` to `targetFile`, replacing a file already there only once the
 * copy is complete and checked. Throws AppError `invalid_input` when the target is the live
 * database and `store_unavailable` when the copy cannot be written.
 */
export function createBackup(db: Database.Database, targetFile: string): BackupResult {
  const target = path.resolve(targetFile);
  const live = path.resolve(db.name);
  if (target === live || target.startsWith(`${live}-`)) {
    throw new AppError('invalid_input', `${target} is the console's own database. Choose another file for the backup.`);
  }

  // VACUUM INTO refuses an existing non-empty file, so the copy goes to a fresh name first.
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    const inspection = inspectBackup(partial);
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, schemaVersion: inspection.schemaVersion };
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError(
      'store_unavailable',
      `Could not write the backup ${target}: ${messageOf(error)}. Check that the folder exists and is writable.`,
      { cause: error },
    );
  }
}

/**
 * Checks that `file` is a console database this app can open, without changing it. Throws
 * AppError: `not_found` for a missing file, `validation_failed` for a file that is not SQLite,
 * not a console database or damaged, and `store_too_new` for a backup from a newer app.
 */
export function inspectBackup(file: string, appSchemaVersion: number = latestVersion()): BackupInspection {
  const resolved = path.resolve(file);
  if (!existsSync(resolved) || !statSync(resolved).isFile()) {
    throw new AppError('not_found', `The backup file ${resolved} was not found.`);
  }
  if (!hasSqliteHeader(resolved)) {
    throw new AppError('validation_failed', `${resolved} is not a SQLite database, so it is not a console backup.`);
  }

  let db: Database.Database;
  try {
    db = new Database(resolved, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AppError('validation_failed', `Could not open ${resolved} as a database: ${messageOf(error)}.`, { cause: error });
  }
  try {
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > appSchemaVersion) {
      throw new AppError(
        'store_too_new',
        `The backup ${resolved} has schema version ${schemaVersion}, but this app supports versions up to ` +
          `${appSchemaVersion}. A newer Ashby Sync Console wrote it: install the newer app to restore it.`,
        { details: { file: resolved, fileVersion: schemaVersion, appVersion: appSchemaVersion } },
      );
    }
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name),
    );
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (schemaVersion < 1 || missing.length > 0) {
      throw new AppError(
        'validation_failed',
        `${resolved} is a SQLite database but not an Ashby Sync Console database ` +
          `(schema version ${schemaVersion}${missing.length > 0 ? `, missing tables ${missing.join(', ')}` : ''}).`,
      );
    }
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') {
      throw new AppError('validation_failed', `The backup ${resolved} is damaged (quick_check: ${check}).`);
    }
    const clients = (db.prepare('SELECT count(*) AS count FROM clients').get() as { count: number }).count;
    return { schemaVersion, clients };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('validation_failed', `Could not read ${resolved} as a console database: ${messageOf(error)}.`, { cause: error });
  } finally {
    db.close();
  }
}

/**
 * Checks `sourceFile` and copies it into the data folder, where the next start swaps it in.
 * Staging again replaces an earlier staged restore. The current database is not touched.
 */
export function stageRestore(dataDir: string, sourceFile: string, clock: Clock = systemClock): PendingRestore {
  const source = path.resolve(sourceFile);
  const inspection = inspectBackup(source);
  const staged = path.join(dataDir, PENDING_RESTORE_FILE);
  const partial = `${staged}.partial-${process.pid}`;
  rmSync(partial, { force: true });

  // Copying through SQLite (not the file system) also takes in a -wal file beside the source.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new AppError('store_unavailable', `Could not copy ${source} into ${dataDir}: ${messageOf(error)}.`, { cause: error });
  } finally {
    db.close();
  }
  renameSync(partial, staged);

  const pending: PendingRestore = { source, schemaVersion: inspection.schemaVersion, stagedAt: isoNow(clock) };
  writeFileSync(path.join(dataDir, PENDING_RESTORE_INFO), `${JSON.stringify(pending, null, 2)}\n`);
  return pending;
}

/** Returns the staged restore, or null when none is waiting. */
export function readPendingRestore(dataDir: string): PendingRestore | null {
  if (!existsSync(path.join(dataDir, PENDING_RESTORE_FILE))) return null;
  return readJson<PendingRestore>(path.join(dataDir, PENDING_RESTORE_INFO)) ?? {
    source: path.join(dataDir, PENDING_RESTORE_FILE),
    schemaVersion: 0,
    stagedAt: '',
  };
}

export function cancelPendingRestore(dataDir: string): void {
  rmSync(path.join(dataDir, PENDING_RESTORE_FILE), { force: true });
  rmSync(path.join(dataDir, PENDING_RESTORE_INFO), { force: true });
}

/** Returns the restore applied at the last start, or null. */
export function readLastRestore(dataDir: string): CompletedRestore | null {
  return readJson<CompletedRestore>(path.join(dataDir, LAST_RESTORE_INFO));
}

export function clearLastRestore(dataDir: string): void {
  rmSync(path.join(dataDir, LAST_RESTORE_INFO), { force: true });
}

/**
 * Swaps a staged restore in for `databaseFile`. Call it before the database is opened. The
 * current file, with its -wal and -shm files, is renamed to `<file>.before-restore-<time>`, so
 * nothing is deleted. The staged copy is checked again first, because the app may have been
 * downgraded since it was staged. Returns null when no restore is staged.
 */
export function applyPendingRestore(databaseFile: string, clock: Clock = systemClock): CompletedRestore | null {
  const dataDir = path.dirname(path.resolve(databaseFile));
  const staged = path.join(dataDir, PENDING_RESTORE_FILE);
  if (!existsSync(staged)) return null;

  const pending = readPendingRestore(dataDir);
  inspectBackup(staged);
  assertNoLiveEngine(databaseFile, clock);

  let previousKeptAs: string | null = null;
  if (existsSync(databaseFile)) {
    const stamp = isoNow(clock).replace(/[:.]/g, '-');
    previousKeptAs = `${databaseFile}.before-restore-${stamp}`;
    renameSync(databaseFile, previousKeptAs);
    // SQLite finds a WAL by appending -wal to the database name, so the pair stays together.
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${databaseFile}${suffix}`)) renameSync(`${databaseFile}${suffix}`, `${previousKeptAs}${suffix}`);
    }
  }
  renameSync(staged, databaseFile);
  rmSync(path.join(dataDir, PENDING_RESTORE_INFO), { force: true });

  const completed: CompletedRestore = {
    source: pending?.source ?? staged,
    restoredAt: isoNow(clock),
    previousKeptAs,
  };
  writeFileSync(path.join(dataDir, LAST_RESTORE_INFO), `${JSON.stringify(completed, null, 2)}\n`);
  return completed;
}

/**
 * Throws AppError `busy` while another process's engine holds the data folder's lock: the browser
 * host or the CLI may have the database open, and renaming it under them would split their writes
 * from the restored file. A lock whose heartbeat expired or whose process is gone is ignored.
 */
function assertNoLiveEngine(databaseFile: string, clock: Clock): void {
  if (!existsSync(databaseFile)) return;
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'engine_lock'").get();
    if (table === undefined) return;
    const holder = db.prepare('SELECT pid, expires_at FROM engine_lock WHERE id = 1').get() as
      | { pid: number; expires_at: string }
      | undefined;
    if (holder === undefined || holder.expires_at <= isoNow(clock) || !isProcessAlive(holder.pid)) return;
    throw new AppError(
      'busy',
      `Process ${holder.pid} is using ${databaseFile}, so the staged restore waits. Stop the other ` +
        'console (browser host or CLI) and start again to restore.',
    );
  } finally {
    db.close();
  }
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

function hasSqliteHeader(file: string): boolean {
  const header = Buffer.alloc(16);
  const descriptor = openSync(file, 'r');
  try {
    const read = readSync(descriptor, header, 0, 16, 0);
    return read === 16 && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(descriptor);
  }
}

function readJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface RestoreLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Applies a staged restore before the data folder is opened, for Electron main and the browser
 * host. A staged copy that fails its checks is logged and left in place, and the current database
 * opens as before.
 */
export function applyPendingRestoreAtStart(databaseFile: string, logger: RestoreLogger, clock: Clock = systemClock): CompletedRestore | null {
  try {
    const completed = applyPendingRestore(databaseFile, clock);
    if (completed) logger.info({ ...completed }, 'restored the database from a backup');
    return completed;
  } catch (error) {
    logger.error({ err: error, databaseFile }, 'could not apply the staged restore; opening the current database');
    return null;
  }
}
