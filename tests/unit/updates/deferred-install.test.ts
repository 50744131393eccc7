// An update that becomes ready during a bulk push, with the controller reading run status from a
// real SQLite database: the install waits until the engine's run record shows the push has ended.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../core/clock.js';
import { createRun, setRunStatus } from '../../../core/engine/runs.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { readWorkActivity } from '../../../core/updates/activity.js';
import { createUpdateController, type UpdaterEvent, type UpdaterPort } from '../../../core/updates/controller.js';

const clock: Clock = { now: () => Date.parse('2026-12-04T12:00:00.000Z') };
let dataDir: string;
let db: SqliteDatabase;
let clientId: number;
let roleId: number;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ashby-deferred-install-'));
  db = openDatabase({ file: path.join(dataDir, 'console.sqlite'), clock });
  const at = '2026-12-04T12:00:00.000Z';
  clientId = Number(
    db.prepare(`INSERT INTO clients (name, base_url, created_at, updated_at) VALUES ('Acme', 'http://127.0.0.1:9', ?, ?)`).run(at, at)
      .lastInsertRowid,
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

function fakePort() {
  const listeners = new Set<(event: UpdaterEvent) => void>();
  const port = {
    installs: 0,
    installOnQuit: null as boolean | null,
    checkForUpdates: () => Promise.resolve(),
    downloadUpdate: () => Promise.resolve(),
    quitAndInstall() {
      port.installs += 1;
    },
    setInstallOnQuit(enabled: boolean) {
      port.installOnQuit = enabled;
    },
    onEvent(listener: (event: UpdaterEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: UpdaterEvent) {
      for (const listener of listeners) listener(event);
    },
  } satisfies UpdaterPort & Record<string, unknown>;
  return port;
}

describe('install deferred by runs', () => {
  it('waits for a bulk push to end', () => {
    const port = fakePort();
    const polls: (() => void)[] = [];
    const controller = createUpdateController({
      port,
      currentVersion: '1.0.0',
      downloadUrl: null,
      readActivity: () => readWorkActivity(db),
      clock,
      schedule: (_intervalMs, run) => {
        polls.push(run);
        return () => {};
      },
    });
    const runId = createRun(db, clock, clientId, roleId, 'bulk_push', 40);

    port.emit({ type: 'available', version: '1.1.0' });
    port.emit({ type: 'downloaded', version: '1.1.0' });
    const outcome = controller.restartToUpdate();

    expect(outcome.restarting).toBe(false);
    expect(controller.status().waitingFor).toBe('Waiting for 1 bulk push to finish.');
    expect(port.installOnQuit).toBe(false);
    expect(polls).toHaveLength(1);

    // Pausing the run stops its writes, so the install may go ahead.
    setRunStatus(db, clock, runId, 'paused', 'paused by the admin');
    polls[0]?.();
    expect(port.installs).toBe(1);
  });

  it('waits for a link resolution to complete', () => {
    const port = fakePort();
    const polls: (() => void)[] = [];
    const controller = createUpdateController({
      port,
      currentVersion: '1.0.0',
      downloadUrl: null,
      readActivity: () => readWorkActivity(db),
      clock,
      schedule: (_intervalMs, run) => {
        polls.push(run);
        return () => {};
      },
    });
    const runId = createRun(db, clock, clientId, roleId, 'link_resolution', 12);
    port.emit({ type: 'downloaded', version: '1.1.0' });
    controller.restartToUpdate();
    polls[0]?.();
    expect(port.installs).toBe(0);

    setRunStatus(db, clock, runId, 'completed', 'completed');
    polls[0]?.();
    expect(port.installs).toBe(1);
    expect(controller.status().waitingFor).toBeNull();
  });
});
