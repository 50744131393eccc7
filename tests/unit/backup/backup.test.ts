// Backup and restore against real SQLite files in temp folders.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyPendingRestore,
  cancelPendingRestore,
  createBackup,
  defaultBackupName,
  inspectBackup,
  PENDING_RESTORE_FILE,
  readLastRestore,
  readPendingRestore,
  stageRestore,
} from '../../../core/backup/backup.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { latestVersion } from '../../../core/store/migrations/index.js';
import { createDatabaseAtVersion, fixedClock, makeTempDir } from '../store/helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const temp = makeTempDir('ashby-backup-');
  cleanups.push(temp.remove);
  return temp.dir;
}

function openConsole(file: string): SqliteDatabase {
  const db = openDatabase({ file, clock: fixedClock });
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return db;
}

function addClient(db: SqliteDatabase, name: string): void {
  db.prepare(
    `INSERT INTO clients (name, base_url, created_at, updated_at) VALUES (?, 'https://api.ashbyhq.com', ?, ?)`,
  ).run(name, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
}

function clientNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM clients ORDER BY name').all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}

function setUserVersion(file: string, version: number): void {
  const db = new Database(file);
  db.pragma(`user_version = ${version}`);
  db.close();
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('createBackup', () => {
  it('copies commits still in the WAL', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    addClient(db, 'Acme Health');
    expect(existsSync(path.join(dir, 'console.sqlite-wal'))).toBe(true);

    const target = path.join(dir, 'copy.sqlite');
    const result = createBackup(db, target);

    expect(result.file).toBe(target);
    expect(result.schemaVersion).toBe(latestVersion());
    expect(result.bytes).toBeGreaterThan(0);
    expect(clientNames(target)).toEqual(['Acme Health']);
    expect(existsSync(`${target}-wal`)).toBe(false);
  });

  it('replaces an existing target file', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    const target = path.join(dir, 'copy.sqlite');
    writeFileSync(target, 'an older file');
    addClient(db, 'Globex');

    createBackup(db, target);

    expect(clientNames(target)).toEqual(['Globex']);
    expect(existsSync(`${target}.partial-${process.pid}`)).toBe(false);
  });

  it('rejects the live database as target', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    expect(codeOf(() => createBackup(db, file))).toBe('invalid_input');
    expect(codeOf(() => createBackup(db, `${file}-wal`))).toBe('invalid_input');
  });

  it('fails on a missing folder', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    expect(codeOf(() => createBackup(db, path.join(dir, 'no-such-folder', 'copy.sqlite')))).toBe('store_unavailable');
  });

  it('names backups by time', () => {
    expect(defaultBackupName(fixedClock)).toBe('ashby-sync-console-backup-20260102-030405.sqlite');
  });
});

describe('inspectBackup', () => {
  it('accepts a console backup', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    addClient(db, 'Acme Health');
    addClient(db, 'Globex');
    const backup = createBackup(db, path.join(dir, 'copy.sqlite'));
    expect(inspectBackup(backup.file)).toEqual({ schemaVersion: latestVersion(), clients: 2 });
  });

  it('rejects a missing file', () => {
    expect(codeOf(() => inspectBackup(path.join(tempDir(), 'missing.sqlite')))).toBe('not_found');
  });

  it('rejects a file that is not SQLite', () => {
    const file = path.join(tempDir(), 'notes.sqlite');
    writeFileSync(file, 'name,email\nAda,ada@example.com\n');
    expect(codeOf(() => inspectBackup(file))).toBe('validation_failed');
  });

  it('rejects another program database', () => {
    const file = path.join(tempDir(), 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.pragma('user_version = 3');
    db.close();
    expect(codeOf(() => inspectBackup(file))).toBe('validation_failed');
  });

  it('rejects a backup from a newer app', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    const backup = createBackup(db, path.join(dir, 'copy.sqlite'));
    setUserVersion(backup.file, latestVersion() + 1);
    const before = readFileSync(backup.file);

    expect(codeOf(() => inspectBackup(backup.file))).toBe('store_too_new');
    expect(readFileSync(backup.file).equals(before)).toBe(true);
  });

  it('rejects a truncated file', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    for (let index = 0; index < 200; index += 1) addClient(db, `Client ${index} ${'x'.repeat(200)}`);
    const backup = createBackup(db, path.join(dir, 'copy.sqlite'));
    const bytes = readFileSync(backup.file);
    writeFileSync(backup.file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(codeOf(() => inspectBackup(backup.file))).toBe('validation_failed');
  });
});

describe('restore', () => {
  it('swaps the backup in at next start', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    addClient(db, 'Acme Health');
    const backup = createBackup(db, path.join(tempDir(), 'copy.sqlite'));
    addClient(db, 'Globex');

    const pending = stageRestore(dir, backup.file, fixedClock);
    expect(pending).toEqual({ source: backup.file, schemaVersion: latestVersion(), stagedAt: '2026-01-02T03:04:05.678Z' });
    expect(readPendingRestore(dir)).toEqual(pending);
    // Staging leaves the open database alone.
    expect(clientNames(file)).toEqual(['Acme Health', 'Globex']);

    closeDatabase(db);
    const completed = applyPendingRestore(file, fixedClock);

    expect(completed?.source).toBe(backup.file);
    expect(completed?.previousKeptAs).toBe(`${file}.before-restore-2026-01-02T03-04-05-678Z`);
    expect(clientNames(file)).toEqual(['Acme Health']);
    expect(clientNames(completed?.previousKeptAs ?? '')).toEqual(['Acme Health', 'Globex']);
    expect(readPendingRestore(dir)).toBeNull();
    expect(readLastRestore(dir)).toEqual(completed);

    const reopened = openConsole(file);
    expect((reopened.prepare('SELECT count(*) AS count FROM clients').get() as { count: number }).count).toBe(1);
  });

  it('keeps the WAL with the replaced file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    const backup = createBackup(db, path.join(tempDir(), 'copy.sqlite'));
    stageRestore(dir, backup.file, fixedClock);
    addClient(db, 'Written after the backup');
    // A crash leaves the -wal file behind with the last commits in it.
    const walBytes = readFileSync(`${file}-wal`);
    db.close();
    writeFileSync(`${file}-wal`, walBytes);

    const completed = applyPendingRestore(file, fixedClock);
    const kept = completed?.previousKeptAs ?? '';

    expect(existsSync(`${kept}-wal`)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(clientNames(kept)).toEqual(['Written after the backup']);
    expect(clientNames(file)).toEqual([]);
  });

  it('rejects a newer backup before staging', () => {
    const dir = tempDir();
    const db = openConsole(path.join(dir, 'console.sqlite'));
    const backup = createBackup(db, path.join(tempDir(), 'copy.sqlite'));
    setUserVersion(backup.file, latestVersion() + 1);

    expect(codeOf(() => stageRestore(dir, backup.file, fixedClock))).toBe('store_too_new');
    expect(existsSync(path.join(dir, PENDING_RESTORE_FILE))).toBe(false);
    expect(readPendingRestore(dir)).toBeNull();
  });

  it('checks the staged copy again at start', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    addClient(db, 'Acme Health');
    const backup = createBackup(db, path.join(tempDir(), 'copy.sqlite'));
    stageRestore(dir, backup.file, fixedClock);
    closeDatabase(db);
    // As if an older app, after a downgrade, found a copy staged by a newer one.
    setUserVersion(path.join(dir, PENDING_RESTORE_FILE), latestVersion() + 1);

    expect(codeOf(() => applyPendingRestore(file, fixedClock))).toBe('store_too_new');
    expect(clientNames(file)).toEqual(['Acme Health']);
  });

  it('restores an older schema and migrates it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    const older = path.join(tempDir(), 'v1.sqlite');
    createDatabaseAtVersion(older, 1);

    stageRestore(dir, older, fixedClock);
    closeDatabase(db);
    applyPendingRestore(file, fixedClock);

    const reopened = openConsole(file);
    expect(reopened.pragma('user_version', { simple: true })).toBe(latestVersion());
  });

  it('does nothing without a staged restore', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    closeDatabase(openConsole(file));
    expect(applyPendingRestore(file, fixedClock)).toBeNull();
    expect(existsSync(file)).toBe(true);
  });

  it('cancels a staged restore', () => {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    addClient(db, 'Acme Health');
    const backup = createBackup(db, path.join(tempDir(), 'copy.sqlite'));
    addClient(db, 'Globex');
    stageRestore(dir, backup.file, fixedClock);

    cancelPendingRestore(dir);
    closeDatabase(db);

    expect(readPendingRestore(dir)).toBeNull();
    expect(applyPendingRestore(file, fixedClock)).toBeNull();
    expect(clientNames(file)).toEqual(['Acme Health', 'Globex']);
  });
});

describe('restore with another engine running', () => {
  function holdLock(file: string, pid: number, expiresAt: string): void {
    const db = new Database(file);
    db.prepare(
      `INSERT INTO engine_lock (id, owner, pid, acquired_at, heartbeat_at, expires_at) VALUES (1, 'other', ?, ?, ?, ?)`,
    ).run(pid, '2026-01-02T03:04:00.000Z', '2026-01-02T03:04:00.000Z', expiresAt);
    db.close();
  }

  function stagedSetup(): { dir: string; file: string } {
    const dir = tempDir();
    const file = path.join(dir, 'console.sqlite');
    const db = openConsole(file);
    addClient(db, 'Acme Health');
    const backup = createBackup(db, path.join(tempDir(), 'copy.sqlite'));
    addClient(db, 'Globex');
    stageRestore(dir, backup.file, fixedClock);
    closeDatabase(db);
    return { dir, file };
  }

  it('waits while a live engine holds the lock', () => {
    const { dir, file } = stagedSetup();
    // The parent of this test process is alive for the whole test.
    holdLock(file, process.ppid, '2026-01-02T03:10:00.000Z');

    expect(codeOf(() => applyPendingRestore(file, fixedClock))).toBe('busy');
    expect(clientNames(file)).toEqual(['Acme Health', 'Globex']);
    expect(readPendingRestore(dir)).not.toBeNull();
  });

  it('ignores an expired lock', () => {
    const { file } = stagedSetup();
    holdLock(file, process.ppid, '2026-01-02T03:00:00.000Z');
    expect(applyPendingRestore(file, fixedClock)).not.toBeNull();
    expect(clientNames(file)).toEqual(['Acme Health']);
  });

  it('ignores the lock of a dead process', () => {
    const { file } = stagedSetup();
    // Linux caps pids at 2^22, so this pid is never in use.
    holdLock(file, 4_194_400, '2026-01-02T03:10:00.000Z');
    expect(applyPendingRestore(file, fixedClock)).not.toBeNull();
    expect(clientNames(file)).toEqual(['Acme Health']);
  });
});
