import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../core/clock.js';
import { enqueueLifecycleEvent } from '../../../core/engine/enqueue.js';
import { acquireLock, lockHolder, releaseLock } from '../../../core/engine/lock.js';
import { claimItems, releaseAbandoned, setItemStatus } from '../../../core/engine/outbox-store.js';
import { BULK_COUNTS_SQL, countRunItems } from '../../../core/engine/runs.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';

let dataDir: string;
let db: SqliteDatabase;
let now = Date.parse('2026-12-04T12:00:00.000Z');
const clock: Clock = { now: () => now };
let clientId: number;
let roleId: number;

function insertCandidate(name: string): number {
  const at = new Date(now).toISOString();
  const result = db
    .prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, state, state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'intro_requested', ?, ?, ?)`,
    )
    .run(clientId, roleId, name, name, at, at, at);
  return Number(result.lastInsertRowid);
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'outbox-store-'));
  db = openDatabase({ file: path.join(dataDir, 'console.sqlite'), clock });
  const at = new Date(now).toISOString();
  clientId = Number(
    db
      .prepare(
        `INSERT INTO clients (name, base_url, created_at, updated_at) VALUES ('Acme', 'http://127.0.0.1:9', ?, ?)`,
      )
      .run(at, at).lastInsertRowid,
  );
  roleId = Number(
    db
      .prepare(
        `INSERT INTO roles (client_id, external_id, title, ashby_job_id, created_at, updated_at) VALUES (?, 'r1', 'Engineer', 'job-1', ?, ?)`,
      )
      .run(clientId, at, at).lastInsertRowid,
  );
});

afterEach(() => {
  closeDatabase(db);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('claimItems', () => {
  it('keeps one person’s events in order', () => {
    const jane = insertCandidate('jane');
    const sam = insertCandidate('sam');
    const first = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'action',
    });
    const second = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'complete_intro',
      origin: 'action',
    });
    const other = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: sam,
      event: 'request_intro',
      origin: 'action',
    });

    const claimed = claimItems(db, clock, clientId, 'worker-a', 60_000, 10);
    expect(claimed.map((item) => item.id)).toEqual([first, other]);

    setItemStatus(db, clock, first, 'done', null, null);
    expect(claimItems(db, clock, clientId, 'worker-a', 60_000, 10).map((item) => item.id)).toEqual([
      second,
    ]);
  });

  it('waits for next_attempt_at', () => {
    const jane = insertCandidate('jane');
    const id = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'action',
    });
    setItemStatus(
      db,
      clock,
      id,
      'pending',
      'ashby_server_error',
      'retry',
      new Date(now + 5_000).toISOString(),
    );

    expect(claimItems(db, clock, clientId, 'worker-a', 60_000, 10)).toEqual([]);
    now += 5_000;
    expect(claimItems(db, clock, clientId, 'worker-a', 60_000, 10).map((item) => item.id)).toEqual([
      id,
    ]);
  });

  it('reclaims an expired lease', () => {
    const jane = insertCandidate('jane');
    const id = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'action',
    });
    expect(claimItems(db, clock, clientId, 'worker-a', 1_000, 10)).toHaveLength(1);
    expect(claimItems(db, clock, clientId, 'worker-b', 1_000, 10)).toHaveLength(0);

    now += 1_001;
    const reclaimed = claimItems(db, clock, clientId, 'worker-b', 1_000, 10);
    expect(reclaimed.map((item) => item.id)).toEqual([id]);
    expect(reclaimed[0]?.attempts).toBe(2);
  });

  it('releases abandoned items on start', () => {
    const jane = insertCandidate('jane');
    enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'action',
    });
    claimItems(db, clock, clientId, 'worker-a', 60_000, 10);
    expect(releaseAbandoned(db, clock)).toBe(1);
    const row = db.prepare('SELECT status, lease_owner FROM outbox').get() as {
      status: string;
      lease_owner: string | null;
    };
    expect(row).toEqual({ status: 'pending', lease_owner: null });
  });
});

describe('enqueueLifecycleEvent', () => {
  it('discards a disabled event with the reason', () => {
    db.prepare(`UPDATE clients SET enabled_events = '["hire"]' WHERE id = ?`).run(clientId);
    const jane = insertCandidate('jane');
    const id = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'import',
    });
    const row = db.prepare('SELECT status, reason_code, reason FROM outbox WHERE id = ?').get(id);
    expect(row).toEqual({
      status: 'discarded',
      reason_code: 'event_disabled',
      reason: 'Request intro is turned off for Acme',
    });
    const audit = db.prepare('SELECT action, message FROM audit_log WHERE outbox_id = ?').get(id);
    expect(audit).toEqual({
      action: 'skipped',
      message: 'skipped: Request intro is turned off for Acme',
    });
  });

  it('holds pushes for review when the client asks', () => {
    db.prepare('UPDATE clients SET review_before_push = 1 WHERE id = ?').run(clientId);
    const jane = insertCandidate('jane');
    const fromImport = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'import',
    });
    const manual = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'request_intro',
      origin: 'manual_push',
    });
    const status = (id: number): unknown =>
      db.prepare('SELECT status, reason_code FROM outbox WHERE id = ?').get(id);
    expect(status(fromImport)).toEqual({ status: 'review', reason_code: 'review_before_push' });
    expect(status(manual)).toEqual({ status: 'review', reason_code: 'review_before_push' });
  });

  it('manual push ignores toggles, not review', () => {
    db.prepare(`UPDATE clients SET review_before_push = 1, enabled_events = '[]' WHERE id = ?`).run(clientId);
    const jane = insertCandidate('jane');
    const manual = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'hire',
      origin: 'manual_push',
    });
    expect(db.prepare('SELECT status, reason_code FROM outbox WHERE id = ?').get(manual)).toEqual({
      status: 'review',
      reason_code: 'review_before_push',
    });
  });

  it('pauses pushes of a disconnected client', () => {
    db.prepare(`UPDATE clients SET status = 'disconnected' WHERE id = ?`).run(clientId);
    const jane = insertCandidate('jane');
    const id = enqueueLifecycleEvent(db, clock, {
      clientId,
      roleId,
      candidateId: jane,
      event: 'hire',
      origin: 'action',
    });
    expect(db.prepare('SELECT status, reason_code FROM outbox WHERE id = ?').get(id)).toEqual({
      status: 'paused',
      reason_code: 'client_disconnected',
    });
  });
});

describe('engine lock', () => {
  it('admits one owner until its heartbeat expires', () => {
    expect(acquireLock(db, clock, 'engine-a', 10_000)).toBe(true);
    expect(acquireLock(db, clock, 'engine-b', 10_000)).toBe(false);
    expect(acquireLock(db, clock, 'engine-a', 10_000)).toBe(true);
    expect(lockHolder(db)?.owner).toBe('engine-a');

    now += 10_001;
    expect(acquireLock(db, clock, 'engine-b', 10_000)).toBe(true);
    expect(lockHolder(db)?.owner).toBe('engine-b');
  });

  it('frees the lock on release', () => {
    acquireLock(db, clock, 'engine-a', 10_000);
    releaseLock(db, 'engine-b');
    expect(lockHolder(db)?.owner).toBe('engine-a');
    releaseLock(db, 'engine-a');
    expect(lockHolder(db)).toBeUndefined();
    expect(acquireLock(db, clock, 'engine-b', 10_000)).toBe(true);
  });
});

describe('bulk run counts', () => {
  it('group in index order', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${BULK_COUNTS_SQL}`).all(1) as { detail: string }[];
    expect(plan.map((step) => step.detail)).toEqual(['SEARCH outbox USING INDEX outbox_run_outcome (run_id=?)']);
  });

  it('count skipped outcomes', () => {
    const runId = Number(
      db
        .prepare(`INSERT INTO runs (client_id, role_id, kind, status, created_at, updated_at) VALUES (?, ?, 'bulk_push', 'running', 'x', 'x')`)
        .run(clientId, roleId).lastInsertRowid,
    );
    const outcomes = ['created', 'unchanged', 'skipped', null];
    for (const [index, outcome] of outcomes.entries()) {
      const id = enqueueLifecycleEvent(db, clock, { clientId, roleId, candidateId: insertCandidate(`c${index}`), event: 'request_intro', origin: 'bulk_push', runId });
      const progress = outcome === null ? '{}' : JSON.stringify({ outcome });
      db.prepare(`UPDATE outbox SET status = ?, progress = ? WHERE id = ?`).run(outcome === null ? 'pending' : 'done', progress, id);
    }
    expect(countRunItems(db, runId)).toEqual({ total: 4, done: 3, skipped: 2, failed: 0, waiting: 1, review: 0, cancelled: 0 });
  });
});
