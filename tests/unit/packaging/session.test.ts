// The desktop app's session upkeep in plain Node: the crash marker, counting Ashby writes whose
// outcome is unknown after a crash, the runs an update waits for, and window bounds on displays.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../core/clock.js';
import {
  clearSessionRunning,
  countUnverifiedWrites,
  describeUncleanExit,
  markSessionRunning,
  RUNNING_MARKER_FILE,
} from '../../../core/desktop/session-marker.js';
import { fitToDisplays, readWindowState, WINDOW_STATE_FILE, writeWindowState } from '../../../core/desktop/window-state.js';
import { enqueueLifecycleEvent } from '../../../core/engine/enqueue.js';
import { claimItems, releaseAbandoned } from '../../../core/engine/outbox-store.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { describeActivity, readWorkActivity } from '../../../core/updates/activity.js';

let dataDir: string;
let db: SqliteDatabase;
const now = Date.parse('2026-12-04T12:00:00.000Z');
const clock: Clock = { now: () => now };
let clientId: number;
let roleId: number;

function insertCandidate(name: string): number {
  const at = new Date(now).toISOString();
  return Number(
    db
      .prepare(
        `INSERT INTO candidates (client_id, role_id, external_id, name, state, state_changed_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'intro_requested', ?, ?, ?)`,
      )
      .run(clientId, roleId, name, name, at, at, at).lastInsertRowid,
  );
}

function enqueue(name: string): number {
  return enqueueLifecycleEvent(db, clock, {
    clientId,
    roleId,
    candidateId: insertCandidate(name),
    event: 'request_intro',
    origin: 'action',
  });
}

function insertRun(kind: string, status: string): void {
  const at = new Date(now).toISOString();
  db.prepare(
    `INSERT INTO runs (client_id, role_id, kind, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(clientId, roleId, kind, status, at, at);
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ashby-session-'));
  db = openDatabase({ file: path.join(dataDir, 'console.sqlite'), clock });
  const at = new Date(now).toISOString();
  clientId = Number(
    db
      .prepare(`INSERT INTO clients (name, base_url, created_at, updated_at) VALUES ('Acme', 'http://127.0.0.1:9', ?, ?)`)
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

describe('session marker', () => {
  it('reports nothing after a clean quit', () => {
    expect(markSessionRunning(dataDir, '1.0.0', clock)).toBeNull();
    clearSessionRunning(dataDir);
    expect(existsSync(path.join(dataDir, RUNNING_MARKER_FILE))).toBe(false);
    expect(markSessionRunning(dataDir, '1.0.1', clock)).toBeNull();
  });

  it('reports the session that crashed', () => {
    markSessionRunning(dataDir, '1.0.0', clock);
    const later: Clock = { now: () => now + 60_000 };
    expect(markSessionRunning(dataDir, '1.0.1', later)).toEqual({ startedAt: '2026-12-04T12:00:00.000Z', version: '1.0.0' });
    // The new session's marker replaced the old one.
    expect(markSessionRunning(dataDir, '1.0.1', later)).toEqual({ startedAt: '2026-12-04T12:01:00.000Z', version: '1.0.1' });
  });

  it('treats a damaged marker as a crash', () => {
    writeFileSync(path.join(dataDir, RUNNING_MARKER_FILE), '{"startedAt": ');
    expect(markSessionRunning(dataDir, '1.0.0', clock)).toEqual({ startedAt: 'unknown', version: 'unknown' });
  });
});

describe('unverified writes after a crash', () => {
  it('counts items left mid-write', () => {
    const first = enqueue('jane');
    const second = enqueue('sam');
    enqueue('ada');
    // A worker claimed two items and committed a pending create on one, then the app died.
    claimItems(db, clock, clientId, 'worker-a', 60_000, 2);
    db.prepare(`UPDATE outbox SET progress = json_set(progress, '$.pendingWrite', 'candidate.create') WHERE id = ?`).run(first);
    expect(countUnverifiedWrites(db)).toBe(2);

    // The next engine start returns them to pending and keeps the pending write for verification.
    expect(releaseAbandoned(db, clock)).toBe(2);
    expect(countUnverifiedWrites(db)).toBe(1);
    const row = db.prepare('SELECT status, progress FROM outbox WHERE id = ?').get(first) as { status: string; progress: string };
    expect(row.status).toBe('pending');
    expect(JSON.parse(row.progress)).toMatchObject({ pendingWrite: 'candidate.create' });
    const other = db.prepare('SELECT status FROM outbox WHERE id = ?').get(second) as { status: string };
    expect(other.status).toBe('pending');
  });

  it('counts nothing on a quiet queue', () => {
    enqueue('jane');
    expect(countUnverifiedWrites(db)).toBe(0);
  });

  it('describes the notice', () => {
    const one = describeUncleanExit({ startedAt: '2026-12-04T10:00:00.000Z', version: '1.0.0' }, 1);
    expect(one.message).toBe(
      'The last session (started 2026-12-04T10:00:00.000Z) ended unexpectedly. 1 queued push was in the middle of an ' +
        'Ashby write. Each is checked in Ashby before anything is sent again, so nothing is created twice.',
    );
    const none = describeUncleanExit({ startedAt: 'unknown', version: 'unknown' }, 0);
    expect(none.message).toBe('The last session ended unexpectedly. No Ashby write was left without an outcome.');
    expect(none.unverifiedWrites).toBe(0);
  });
});

describe('work activity', () => {
  it('counts running pushes and resolutions', () => {
    insertRun('bulk_push', 'running');
    insertRun('bulk_push', 'paused');
    insertRun('bulk_push', 'completed');
    insertRun('link_resolution', 'running');
    insertRun('import', 'running');
    const activity = readWorkActivity(db);
    expect(activity).toEqual({ bulkPushes: 1, linkResolutions: 1 });
    expect(describeActivity(activity)).toBe('Waiting for 1 bulk push and 1 link resolution to finish.');
  });

  it('is idle with no runs', () => {
    expect(readWorkActivity(db)).toEqual({ bulkPushes: 0, linkResolutions: 0 });
  });
});

describe('window state', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 875 };
  const monitor = { x: 1440, y: -200, width: 2560, height: 1400 };
  const minimum = { width: 900, height: 600 };

  it('round-trips through the data folder', () => {
    expect(readWindowState(dataDir)).toBeNull();
    const state = { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true };
    writeWindowState(dataDir, state);
    expect(readWindowState(dataDir)).toEqual(state);
  });

  it('ignores a damaged file', () => {
    writeFileSync(path.join(dataDir, WINDOW_STATE_FILE), '{"bounds": {"x": "left"}}');
    expect(readWindowState(dataDir)).toBeNull();
  });

  it('keeps bounds on a display', () => {
    const saved = { x: 1600, y: 0, width: 1280, height: 900 };
    expect(fitToDisplays(saved, [laptop, monitor], minimum)).toEqual(saved);
  });

  it('drops bounds on an unplugged monitor', () => {
    expect(fitToDisplays({ x: 1600, y: 0, width: 1280, height: 900 }, [laptop], minimum)).toBeNull();
  });

  it('drops bounds barely on screen', () => {
    expect(fitToDisplays({ x: 1400, y: 100, width: 1000, height: 700 }, [laptop], minimum)).toBeNull();
  });

  it('shrinks and moves onto the display', () => {
    expect(fitToDisplays({ x: 800, y: 300, width: 2000, height: 1200 }, [laptop], minimum)).toEqual(laptop);
    expect(fitToDisplays({ x: 1000, y: 500, width: 1000, height: 700 }, [laptop], minimum)).toEqual({
      x: 440,
      y: 175,
      width: 1000,
      height: 700,
    });
  });

  it('picks the display with most overlap', () => {
    const saved = { x: 1000, y: 100, width: 1200, height: 700 };
    expect(fitToDisplays(saved, [laptop, monitor], minimum)).toEqual({ x: 1440, y: 100, width: 1200, height: 700 });
  });
});
