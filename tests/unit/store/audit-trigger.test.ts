import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase } from './helpers.js';

let temp: ReturnType<typeof openTempDatabase>;

beforeEach(() => {
  temp = openTempDatabase();
  temp.db
    .prepare(`INSERT INTO audit_log (at, action, outcome, message) VALUES ('2026-01-01T00:00:00.000Z', 'export', 'ok', 'original')`)
    .run();
});

afterEach(() => {
  temp.cleanup();
});

function auditRows(): unknown[] {
  return temp.db.prepare('SELECT id, message FROM audit_log').all();
}

describe('audit_log triggers', () => {
  it('rejects UPDATE', () => {
    expect(() => temp.db.prepare(`UPDATE audit_log SET message = 'tampered'`).run()).toThrow(
      /append-only: UPDATE is not allowed/,
    );
    expect(auditRows()).toEqual([{ id: 1, message: 'original' }]);
  });

  it('rejects DELETE', () => {
    expect(() => temp.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only: DELETE is not allowed/);
    expect(auditRows()).toEqual([{ id: 1, message: 'original' }]);
  });

  it('accepts INSERT', () => {
    temp.db
      .prepare(`INSERT INTO audit_log (at, action, outcome) VALUES ('2026-01-01T00:00:01.000Z', 'export', 'ok')`)
      .run();
    expect(auditRows()).toHaveLength(2);
  });
});
