// Runs pending schema migrations: a consistent backup copy first, then every pending migration
// and the new `user_version` in one transaction, so a failure leaves the file as it was.
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { isoNow, type Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage, StoreError, StoreMigrationError, StoreTooNewError } from './errors.js';
import { latestVersion, type Migration } from './migrations/index.js';

export interface MigrationResult {
  fromVersion: number;
  toVersion: number;
  /** Copy of the database taken before migrating; null when nothing ran or the database was new. */
  backupFile: string | null;
}

export function readUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Returns the path of the backup taken before migrating `file` away from `fromVersion`. */
export function backupFileName(file: string, fromVersion: number, clock: Clock): string {
  const stamp = isoNow(clock).replace(/[:.]/g, '-');
  return `${file}.backup-v${fromVersion}-${stamp}`;
}

/**
 * Writes a consistent copy of the open database next to it with `VACUUM INTO`, which reads through
 * the connection and so includes commits still in the WAL. Throws a StoreError (`backup_failed`),
 * in which case the caller must not migrate.
 */
export function backupDatabase(
  db: Database.Database,
  file: string,
  fromVersion: number,
  clock: Clock,
): string {
  const base = backupFileName(file, fromVersion, clock);
  let target = base;
  for (let suffix = 2; existsSync(target); suffix += 1) target = `${base}-${suffix}`;

  try {
    db.prepare('VACUUM INTO ?').run(target);
  } catch (error) {
    throw new StoreError(
      'store_unavailable',
      `Could not back up ${file} to ${target} before migrating it: ${errorMessage(error)}. ` +
        'The database was not changed. Free disk space or fix the folder permissions, then restart.',
      { reason: 'backup_failed', file, backupFile: target },
      error,
    );
  }
  return target;
}

/**
 * Applies every migration newer than the database's `user_version`. The caller has already
 * rejected a database newer than the list. Foreign keys are off while migrating so that a
 * migration can rebuild a table, and a `foreign_key_check` before commit catches what it broke.
 */
export function runMigrations(
  db: Database.Database,
  options: { file: string; clock: Clock; logger: Logger; migrations: readonly Migration[] },
): MigrationResult {
  const { file, clock, logger, migrations } = options;
  const fromVersion = readUserVersion(db);
  const toVersion = latestVersion(migrations);
  const pending = migrations.filter((migration) => migration.version > fromVersion);
  if (pending.length === 0) return { fromVersion, toVersion: fromVersion, backupFile: null };

  if (fromVersion > 0) checkIntegrity(db, file);
  const backupFile = fromVersion > 0 ? backupDatabase(db, file, fromVersion, clock) : null;
  if (backupFile) logger.info({ file, backupFile, fromVersion }, 'backed up database before migrating');

  // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched outside it.
  db.pragma('foreign_keys = OFF');
  let current: Migration | undefined;
  let applied: readonly Migration[] = [];
  try {
    // IMMEDIATE takes the write lock first. The version is then read again under the lock, so a
    // second process that opened the file at the same time skips what the first one already ran.
    db.transaction(() => {
      const lockedVersion = readUserVersion(db);
      if (lockedVersion > toVersion) throw new StoreTooNewError(file, lockedVersion, toVersion);
      applied = migrations.filter((migration) => migration.version > lockedVersion);
      for (const migration of applied) {
        current = migration;
        db.exec(migration.sql);
      }
      current = undefined;
      if (applied.length === 0) return;
      assertForeignKeys(db);
      db.pragma(`user_version = ${toVersion}`);
    }).immediate();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const failed = current ?? applied[applied.length - 1] ?? pending[pending.length - 1]!;
    logger.error(
      { file, fromVersion, migrationVersion: failed.version, migrationName: failed.name, err: error },
      'migration failed, database rolled back',
    );
    throw new StoreMigrationError(file, failed, fromVersion, backupFile, error);
  }

  if (applied.length === 0) {
    logger.info({ file, toVersion }, 'another process migrated the database first');
  } else {
    logger.info({ file, fromVersion, toVersion, backupFile }, 'migrated database');
  }
  return { fromVersion, toVersion, backupFile };
}

/**
 * Throws a StoreError (`corrupt`) when `PRAGMA quick_check` finds damage, because migrating a
 * damaged file could spread the damage into the backup and the new schema. It reads every page,
 * so it runs only before a migration, not on every open.
 */
export function checkIntegrity(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>).map((row) => row.quick_check);
  } catch (error) {
    problems = [errorMessage(error)];
  }
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw new StoreError(
    'store_unavailable',
    `The database ${file} is damaged, so it was not migrated: ${problems.join('; ')}. Restore a ` +
      'backup (files named *.backup-v*) or move the file away to start with an empty one.',
    { reason: 'corrupt', file, problems },
  );
}

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
}

function assertForeignKeys(db: Database.Database): void {
  const violations = db.pragma('foreign_key_check') as ForeignKeyViolation[];
  const first = violations[0];
  if (first) {
    throw new Error(
      `foreign key check found ${violations.length} row(s) referencing missing rows ` +
        `(first: ${first.table} rowid ${first.rowid} -> ${first.parent})`,
    );
  }
}
