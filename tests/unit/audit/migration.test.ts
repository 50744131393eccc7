import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAuditPage } from '../../../core/audit/query.js';
import { closeDatabase, openDatabase } from '../../../core/store/db.js';
import { MIGRATIONS } from '../../../core/store/migrations/index.js';
import { fixedClock } from './helpers.js';

let dir: string;
const clock = fixedClock('2026-01-01T00:00:00.000Z');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ashby-audit-migration-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('audit search and purge migration', () => {
  it('indexes entries written before it', () => {
    const file = path.join(dir, 'console.sqlite');
    const old = openDatabase({ file, clock, migrations: MIGRATIONS.slice(0, 1) });
    old
      .prepare(
        `INSERT INTO audit_log (at, action, outcome, message) VALUES (?, 'decision', 'ok', ?)`,
      )
      .run('2025-06-01T00:00:00.000Z', 'Created Zoë Ångström before the upgrade');
    closeDatabase(old);

    const db = openDatabase({ file, clock });
    try {
      const page = queryAuditPage(db, { text: 'zoe angstrom' });
      expect(page.textPlan).toBe('sparse');
      expect(page.entries.map((entry) => entry.message)).toEqual([
        'Created Zoë Ångström before the upgrade',
      ]);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(
        /append-only: DELETE is not allowed/,
      );
    } finally {
      closeDatabase(db);
    }
  });

  it('creates the indexes each filter uses', () => {
    const db = openDatabase({ file: path.join(dir, 'console.sqlite'), clock });
    try {
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
          .map((row) => row.detail)
          .join('; ');

      expect(plan(`SELECT id FROM audit_log WHERE role_id = 1 ORDER BY at DESC LIMIT 5`)).toContain(
        'audit_role_at',
      );
      expect(
        plan(`SELECT id FROM audit_log WHERE event = 'hire' ORDER BY at DESC LIMIT 5`),
      ).toContain('audit_event_at');
      expect(
        plan(`SELECT id FROM audit_log WHERE outcome = 'failed' ORDER BY at DESC LIMIT 5`),
      ).toContain('audit_outcome_at');
      expect(
        plan(
          `SELECT id FROM audit_log WHERE client_id = 1 AND outcome = 'failed' ORDER BY at DESC LIMIT 5`,
        ),
      ).toContain('audit_client_outcome_at');
    } finally {
      closeDatabase(db);
    }
  });
});
