import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, closeDatabase, openDatabase, toOpenError } from '../../../core/store/db.js';
import { fixedClock, openTempDatabase } from './helpers.js';

let temp: ReturnType<typeof openTempDatabase>;

beforeEach(() => {
  temp = openTempDatabase();
});

afterEach(() => {
  temp.cleanup();
});

describe('database pragmas', () => {
  it('uses WAL journal mode', () => {
    expect(temp.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('enforces foreign keys', () => {
    expect(temp.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const insertOrphan = () =>
      temp.db
        .prepare(`INSERT INTO roles (client_id, external_id, title, created_at, updated_at) VALUES (999, 'r', 't', 'x', 'x')`)
        .run();
    expect(insertOrphan).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('waits for locks with busy_timeout', () => {
    expect(temp.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('uses synchronous NORMAL', () => {
    // 1 is NORMAL in SQLite's numbering (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
    expect(temp.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('sets the pragmas again on reopen', () => {
    closeDatabase(temp.db);
    const reopened = openDatabase({ file: temp.file, clock: fixedClock });

    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(reopened.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(reopened.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(reopened.pragma('synchronous', { simple: true })).toBe(1);
    reopened.close();
  });

  it('maps permission errors to permission_denied', () => {
    // Tests may run as root, where chmod cannot take access away, so the mapping is checked directly.
    const denied = Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
    const error = toOpenError('/data/console.sqlite', denied);

    expect(error.code).toBe('store_unavailable');
    expect(error.details.reason).toBe('permission_denied');
    expect(error.message).toContain('/data/console.sqlite');
    expect(error.message).toContain('read and write access');
  });
});
