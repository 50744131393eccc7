import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { createSyncEngine, type SyncEngine } from '../../../core/engine/engine.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { insertClient, insertRole } from './harness.js';

let db: SqliteDatabase | undefined;
let engine: SyncEngine | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await engine?.stop();
  if (db !== undefined) closeDatabase(db);
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('event loop', () => {
  it('yields between chunks of a large bulk enqueue', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'engine-loop-'));
    db = openDatabase({ file: path.join(dataDir, 'console.sqlite') });
    const clientId = insertClient(db, 'Large Client', 'http://127.0.0.1:9');
    const roleId = insertRole(db, clientId, 'job-large');
    const insert = db.prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, email, state, state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'intro_requested', ?, ?, ?)`,
    );
    const now = new Date().toISOString();
    const database = db;
    database.transaction(() => {
      for (let index = 0; index < 3000; index += 1) {
        insert.run(
          clientId,
          roleId,
          `large-${index}`,
          `Person ${index}`,
          `person.${index}@example.com`,
          now,
          now,
          now,
        );
      }
    })();
    // No key: the engine is never started, so only the enqueue runs.
    engine = createSyncEngine({
      db,
      clock: systemClock,
      credentials: async () => null,
      limits: { chunkSize: 100 },
    });

    let ticks = 0;
    let maxGapMs = 0;
    let last = performance.now();
    let running = true;
    const tick = (): void => {
      const current = performance.now();
      maxGapMs = Math.max(maxGapMs, current - last);
      last = current;
      ticks += 1;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const runId = await engine.startBulkPush(roleId);
    running = false;

    const count = db
      .prepare('SELECT COUNT(*) AS count FROM outbox WHERE run_id = ?')
      .get(runId) as { count: number };
    expect(count.count).toBe(3000);
    // One yield per chunk of 100 at least; other callbacks ran while the push was queued.
    expect(ticks).toBeGreaterThanOrEqual(30);
    // NOTE: a loose bound, because the test machine is shared; a chunk takes a few ms when idle.
    expect(maxGapMs).toBeLessThan(200);
  });
});
