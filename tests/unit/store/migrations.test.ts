import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { StoreError, StoreMigrationError, StoreTooNewError } from '../../../core/store/errors.js';
import { latestVersion, MIGRATIONS, type Migration } from '../../../core/store/migrations/index.js';
import { createDatabaseAtVersion, fixedClock, makeTempDir } from './helpers.js';

const LATEST = latestVersion();

// Rows written with the columns of schema version 1. Every later version must keep them, so the
// same seed serves every starting version. A migration that makes these inserts invalid (say, a
// new NOT NULL column without a default) adds a seed for its version here.
const SEEDS_BY_VERSION: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare(
      `INSERT INTO clients (id, name, base_url, created_at, updated_at) VALUES (1, 'Acme Fake', 'https://api.ashbyhq.com', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO roles (id, client_id, external_id, title, created_at, updated_at) VALUES (1, 1, 'role-1', 'Staff Engineer', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO candidates (id, client_id, role_id, external_id, name, email, state, state_changed_at, created_at, updated_at)
       VALUES (1, 1, 1, 'cand-1', 'Jane Roe', 'jane.roe@example.com', 'intro_requested', ?, ?, ?)`,
    ).run(at, at, at);
    db.prepare(
      `INSERT INTO audit_log (at, client_id, action, outcome, message) VALUES (?, 1, 'settings_changed', 'ok', 'seeded')`,
    ).run(at);
    db.prepare(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`).run();
  },
};

function seedFor(version: number): (db: Database.Database) => void {
  const usable = Object.keys(SEEDS_BY_VERSION)
    .map(Number)
    .filter((seedVersion) => seedVersion <= version)
    .sort((a, b) => b - a);
  const seed = SEEDS_BY_VERSION[usable[0] ?? -1];
  if (!seed) throw new Error(`no seed for schema version ${version}`);
  return seed;
}

function seedDatabase(file: string, version: number): void {
  const db = new Database(file);
  seedFor(version)(db);
  db.close();
}

function expectSeedKept(db: Database.Database): void {
  const client = db.prepare('SELECT name FROM clients WHERE id = 1').get() as { name: string } | undefined;
  expect(client?.name).toBe('Acme Fake');
  const candidate = db.prepare('SELECT name, state FROM candidates WHERE id = 1').get() as
    | { name: string; state: string }
    | undefined;
  expect(candidate).toEqual({ name: 'Jane Roe', state: 'intro_requested' });
  const audit = db.prepare('SELECT count(*) AS count FROM audit_log').get() as { count: number };
  expect(audit.count).toBe(1);
  const setting = db.prepare(`SELECT value FROM settings WHERE key = 'theme'`).get() as { value: string } | undefined;
  expect(setting?.value).toBe('"dark"');
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function backupsIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.backup-v'));
}

// Appended to the real list to exercise the upgrade path even while only one real migration exists.
const extraMigration: Migration = {
  version: LATEST + 1,
  name: 'test-add-client-note',
  sql: 'ALTER TABLE clients ADD COLUMN note TEXT;',
};

let temp: ReturnType<typeof makeTempDir>;
let file: string;
let opened: SqliteDatabase | null;

beforeEach(() => {
  temp = makeTempDir();
  file = path.join(temp.dir, 'console.sqlite');
  opened = null;
});

afterEach(() => {
  if (opened?.open) opened.close();
  temp.remove();
});

describe('migrations', () => {
  it('migration list is numbered without gaps', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
      MIGRATIONS.map((_migration, index) => index + 1),
    );
  });

  it('creates a fresh database at the latest version', () => {
    opened = openDatabase({ file, clock: fixedClock });

    expect(userVersion(opened)).toBe(LATEST);
    const tables = (opened.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as Array<{ name: string }>)
      .map((row) => row.name)
      .sort();
    for (const table of ['audit_log', 'candidates', 'clients', 'outbox', 'outbox_attempts', 'outbox_steps', 'roles', 'runs', 'settings']) {
      expect(tables).toContain(table);
    }
    expect(backupsIn(temp.dir)).toEqual([]);
  });

  it('declares every table STRICT', () => {
    opened = openDatabase({ file, clock: fixedClock });
    const rows = opened.prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string; strict: number }>;

    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect({ table: row.name, strict: row.strict }).toEqual({ table: row.name, strict: 1 });
  });

  it('reopens a current database without a backup', () => {
    createDatabaseAtVersion(file, LATEST);
    opened = openDatabase({ file, clock: fixedClock });

    expect(userVersion(opened)).toBe(LATEST);
    expect(backupsIn(temp.dir)).toEqual([]);
  });

  // One case per earlier released version, so a newly appended migration is covered automatically.
  for (let fromVersion = 1; fromVersion < LATEST; fromVersion += 1) {
    it(`upgrades a database from version ${fromVersion}`, () => {
      createDatabaseAtVersion(file, fromVersion);
      seedDatabase(file, fromVersion);

      opened = openDatabase({ file, clock: fixedClock });

      expect(userVersion(opened)).toBe(LATEST);
      expectSeedKept(opened);
      const backups = backupsIn(temp.dir);
      expect(backups).toHaveLength(1);
      const backup = new Database(path.join(temp.dir, backups[0]!), { readonly: true });
      expect(userVersion(backup)).toBe(fromVersion);
      expectSeedKept(backup);
      backup.close();
    });
  }

  it('upgrades the latest version by one more migration', () => {
    createDatabaseAtVersion(file, LATEST);
    seedDatabase(file, LATEST);

    opened = openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, extraMigration] });

    expect(userVersion(opened)).toBe(LATEST + 1);
    expectSeedKept(opened);
    const columns = (opened.pragma('table_info(clients)') as Array<{ name: string }>).map((column) => column.name);
    expect(columns).toContain('note');

    const backups = backupsIn(temp.dir);
    expect(backups).toEqual([`console.sqlite.backup-v${LATEST}-2026-01-02T03-04-05-678Z`]);
    const backup = new Database(path.join(temp.dir, backups[0]!), { readonly: true });
    expect(userVersion(backup)).toBe(LATEST);
    expectSeedKept(backup);
    backup.close();
  });

  it('backs up commits still in the WAL', () => {
    // Copying the files of an open database leaves the last commits only in the -wal file, as a
    // crash would.
    const source = path.join(temp.dir, 'source.sqlite');
    const live = openDatabase({ file: source, clock: fixedClock });
    live.pragma('wal_autocheckpoint = 0');
    seedFor(LATEST)(live);
    copyFileSync(source, file);
    copyFileSync(`${source}-wal`, `${file}-wal`);
    live.close();

    opened = openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, extraMigration] });

    const backups = backupsIn(temp.dir);
    expect(backups).toHaveLength(1);
    const backup = new Database(path.join(temp.dir, backups[0]!), { readonly: true });
    expectSeedKept(backup);
    backup.close();
  });

  it('skips migrations another process already ran', () => {
    createDatabaseAtVersion(file, LATEST);
    seedDatabase(file, LATEST);
    // The clock is read while the backup is named, after the version was first read and before
    // the migration transaction starts: the moment a second process could migrate the file.
    let otherProcessMigrated = false;
    const racingClock = {
      now: () => {
        if (!otherProcessMigrated) {
          otherProcessMigrated = true;
          const other = new Database(file);
          other.exec(extraMigration.sql);
          other.pragma(`user_version = ${LATEST + 1}`);
          other.close();
        }
        return fixedClock.now();
      },
    };

    opened = openDatabase({ file, clock: racingClock, migrations: [...MIGRATIONS, extraMigration] });

    expect(otherProcessMigrated).toBe(true);
    expect(userVersion(opened)).toBe(LATEST + 1);
    expectSeedKept(opened);
  });

  it('rejects a newer database and leaves it untouched', () => {
    const newer = openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, extraMigration] });
    seedFor(LATEST)(newer);
    closeDatabase(newer);
    const bytesBefore = readFileSync(file);
    const filesBefore = readdirSync(temp.dir).sort();

    let caught: unknown;
    try {
      openDatabase({ file, clock: fixedClock });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StoreTooNewError);
    const error = caught as StoreTooNewError;
    expect(error.code).toBe('store_too_new');
    expect(error.fileVersion).toBe(LATEST + 1);
    expect(error.appVersion).toBe(LATEST);
    expect(error.message).toContain(`schema version ${LATEST + 1}`);
    expect(error.message).toContain(`up to ${LATEST}`);
    expect(error.message).toContain('install the newer app');
    expect(readFileSync(file).equals(bytesBefore)).toBe(true);
    expect(readdirSync(temp.dir).sort()).toEqual(filesBefore);
    expect(backupsIn(temp.dir)).toEqual([]);
  });

  it('rolls back a failing migration completely', () => {
    createDatabaseAtVersion(file, LATEST);
    seedDatabase(file, LATEST);
    const bytesBefore = readFileSync(file);
    const goodMigration: Migration = { version: LATEST + 1, name: 'test-good', sql: 'CREATE TABLE added_by_test (id INTEGER PRIMARY KEY) STRICT;' };
    const brokenMigration: Migration = {
      version: LATEST + 2,
      name: 'test-broken',
      sql: `CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT;
            UPDATE clients SET name = 'changed';
            INSERT INTO no_such_table VALUES (1);`,
    };

    let caught: unknown;
    try {
      openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, goodMigration, brokenMigration] });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StoreMigrationError);
    const error = caught as StoreMigrationError;
    expect(error.code).toBe('store_unavailable');
    expect(error.details.reason).toBe('migration_failed');
    expect(error.message).toContain(`Migration ${LATEST + 2} (test-broken)`);
    expect(error.message).toContain('no_such_table');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).equals(bytesBefore)).toBe(true);

    const db = new Database(file, { readonly: true });
    expect(userVersion(db)).toBe(LATEST);
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE name IN ('added_by_test', 'half_done')`).all();
    expect(tables).toEqual([]);
    expectSeedKept(db);
    db.close();
    expect(backupsIn(temp.dir)).toHaveLength(1);
  });

  it('fails a migration that breaks a foreign key', () => {
    createDatabaseAtVersion(file, LATEST);
    seedDatabase(file, LATEST);
    const orphaning: Migration = { version: LATEST + 1, name: 'test-orphan', sql: 'DELETE FROM clients;' };

    expect(() => openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, orphaning] })).toThrow(
      /foreign key check found/,
    );
    const db = new Database(file, { readonly: true });
    expectSeedKept(db);
    db.close();
  });

  it('rejects a migration list with a gap', () => {
    const gap: Migration = { version: LATEST + 2, name: 'test-gap', sql: '' };
    expect(() => openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, gap] })).toThrow(/out of order/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('openDatabase failures', () => {
  it('rejects a file that is not a database', () => {
    const garbage = Buffer.from('this is not a SQLite database, just text. '.repeat(50));
    writeFileSync(file, garbage);

    let caught: unknown;
    try {
      openDatabase({ file, clock: fixedClock });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StoreError);
    const error = caught as StoreError;
    expect(error.code).toBe('store_unavailable');
    expect(error.details.reason).toBe('corrupt');
    expect(error.message).toContain(file);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('does not migrate a damaged database', () => {
    createDatabaseAtVersion(file, LATEST);
    seedDatabase(file, LATEST);
    const db = new Database(file, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    db.close();
    // Overwrite the last page, which holds table or index data, and keep page 1 (the header and
    // the schema) intact, so the file still opens and only a full check finds the damage.
    const bytes = readFileSync(file);
    bytes.fill(0xa5, (pageCount - 1) * pageSize, pageCount * pageSize);
    writeFileSync(file, bytes);

    let caught: unknown;
    try {
      openDatabase({ file, clock: fixedClock, migrations: [...MIGRATIONS, extraMigration] });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).details.reason).toBe('corrupt');
    expect((caught as StoreError).message).toContain('not migrated');
    expect(backupsIn(temp.dir)).toEqual([]);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('rejects another program\'s SQLite file', () => {
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE notes (body TEXT)');
    foreign.close();
    const bytesBefore = readFileSync(file);

    expect(() => openDatabase({ file, clock: fixedClock })).toThrow(/did not create it/);
    expect(readFileSync(file).equals(bytesBefore)).toBe(true);
  });

  it('reports a folder that cannot be created', () => {
    const blocker = path.join(temp.dir, 'not-a-folder');
    writeFileSync(blocker, 'x');

    let caught: unknown;
    try {
      openDatabase({ file: path.join(blocker, 'console.sqlite'), clock: fixedClock });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).details.reason).toBe('open_failed');
    expect((caught as StoreError).message).toContain('not-a-folder');
  });
});
