// Opens the local SQLite database: checks it can be used, sets the connection pragmas and runs
// pending migrations. Every failure is a StoreError with a message that names the file and the fix.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock.js';
import { createLogger, type Logger } from '../log/logger.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { errorMessage, StoreError, StoreTooNewError } from './errors.js';
import { readUserVersion, runMigrations } from './migrate.js';
import { assertMigrationOrder, latestVersion, MIGRATIONS, type Migration } from './migrations/index.js';

export type { Database };
export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the database file; created, with its folder, when missing. */
  file: string;
  clock?: Clock;
  logger?: Logger;
  /** Migration list to apply; tests pass a longer or broken list. Default MIGRATIONS. */
  migrations?: readonly Migration[];
  /**
   * `background` runs WAL checkpoints in a worker thread (see checkpointer.ts), for a process
   * whose event loop must stay responsive; `inline` leaves them to SQLite's commits. Default `inline`.
   */
  checkpoints?: 'inline' | 'background';
}

const checkpointers = new WeakMap<SqliteDatabase, Checkpointer>();

/** Milliseconds a statement waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (or creates) the database at `options.file` and migrates it to the latest schema.
 * Throws StoreTooNewError for a database written by a newer app, leaving its bytes untouched,
 * and StoreError for a file that cannot be opened, read or migrated. The file is never deleted.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const file = path.resolve(options.file);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('store');
  const migrations = options.migrations ?? MIGRATIONS;
  assertMigrationOrder(migrations);

  checkLocation(file);

  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    throw toOpenError(file, error);
  }

  try {
    // Set before the first read, so even the version check waits for a writer's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);

    // Nothing is written before this check, so a database from a newer app stays byte for byte
    // as it was (setting WAL mode alone rewrites the file header).
    const fileVersion = readUserVersion(db);
    const appVersion = latestVersion(migrations);
    if (fileVersion > appVersion) throw new StoreTooNewError(file, fileVersion, appVersion);
    if (fileVersion === 0) checkEmpty(db, file);

    setPragmas(db, file, logger);
    runMigrations(db, { file, clock, logger, migrations });
    // Migrations ran with foreign keys off; every connection enforces them from here on.
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw toOpenError(file, error);
  }

  if (options.checkpoints === 'background' && db.pragma('journal_mode', { simple: true }) === 'wal') {
    checkpointers.set(db, startCheckpointer(db, file, logger));
  }
  logger.info({ file, schemaVersion: latestVersion(migrations) }, 'opened database');
  return db;
}

function setPragmas(db: SqliteDatabase, file: string, logger: Logger): void {
  // WAL lets the UI read while the engine writes, and a commit is one append to the -wal file.
  const journalMode = db.pragma('journal_mode = WAL', { simple: true }) as string;
  if (journalMode !== 'wal') {
    // Some network file systems cannot share the -shm memory map; the database still works.
    logger.warn({ file, journalMode }, 'could not switch the database to WAL mode');
  }
  // Under WAL, NORMAL never corrupts the file and loses nothing when the app crashes; only a power
  // loss can roll back the last commits. FULL would add an fsync to every commit of a bulk run.
  db.pragma('synchronous = NORMAL');
  // SQLite leaves foreign keys off unless each connection enables them, and the schema relies on them.
  db.pragma('foreign_keys = ON');
}

/** Closes the database after letting SQLite refresh the query planner's statistics. */
export function closeDatabase(db: SqliteDatabase): void {
  checkpointers.get(db)?.stop();
  checkpointers.delete(db);
  if (!db.open) return;
  db.pragma('optimize');
  db.close();
}

// Rejects a file whose folder cannot be created or whose permissions would make SQLite fall back
// to read-only, which otherwise only shows up as a failure on the first write.
function checkLocation(file: string): void {
  const folder = path.dirname(file);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.R_OK | constants.W_OK | constants.X_OK);
    if (existsSync(file)) accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw toOpenError(file, error);
  }
}

// A database at user_version 0 is only ours to migrate if it is empty. Otherwise the path points
// at another program's SQLite file, and adding tables to it would damage it.
function checkEmpty(db: SqliteDatabase, file: string): void {
  const row = db.prepare('SELECT count(*) AS count FROM sqlite_schema').get() as { count: number };
  if (row.count > 0) {
    throw new StoreError(
      'store_unavailable',
      `${file} is a SQLite database with ${row.count} schema objects but no schema version, so ` +
        'Ashby Sync Console did not create it. Choose another data folder or move the file away.',
      { reason: 'unrecognized', file },
    );
  }
}

const PERMISSION_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_PERM', 'SQLITE_AUTH']);
const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Maps a failure to open or read the file to a StoreError with the cause and the fix. */
export function toOpenError(file: string, error: unknown): StoreError {
  const code = (error as { code?: unknown }).code;
  const cause = errorMessage(error);
  if (typeof code === 'string' && (PERMISSION_CODES.has(code) || code.startsWith('SQLITE_READONLY'))) {
    return new StoreError(
      'store_unavailable',
      `Permission denied opening the database ${file}: ${cause}. ` +
        'Give your user read and write access to the file and its folder, then restart.',
      { reason: 'permission_denied', file, cause },
      error,
    );
  }
  if (typeof code === 'string' && CORRUPT_CODES.has(code)) {
    return new StoreError(
      'store_unavailable',
      `The database ${file} is damaged or not a database (${cause}). Restore a backup ` +
        `(${path.basename(file)}.backup-v*) or move the file away to start with an empty one.`,
      { reason: 'corrupt', file, cause },
      error,
    );
  }
  return new StoreError(
    'store_unavailable',
    `Could not open the database ${file}: ${cause}. Check that the data folder exists and is ` +
      'writable and that no other program holds the file locked, then restart.',
    { reason: 'open_failed', file, cause },
    error,
  );
}
