// Shared set-up for store tests: temp folders, a fixed clock and databases at a chosen version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../../core/clock.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { MIGRATIONS } from '../../../core/store/migrations/index.js';

export const fixedClock: Clock = { now: () => Date.parse('2026-01-02T03:04:05.678Z') };

/** Returns a clock that starts at `start` and moves forward by `stepMs` on every reading. */
export function steppingClock(start = '2026-01-02T03:04:05.000Z', stepMs = 1000): Clock {
  let current = Date.parse(start) - stepMs;
  return {
    now: () => {
      current += stepMs;
      return current;
    },
  };
}

export function makeTempDir(prefix = 'ashby-store-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Creates `file` as the app at schema `version` would have left it, by running the first `version` migrations. */
export function createDatabaseAtVersion(file: string, version: number): void {
  const db = openDatabase({ file, clock: fixedClock, migrations: MIGRATIONS.slice(0, version) });
  closeDatabase(db);
}

/** Opens a fully migrated database in a new temp folder; call `cleanup` in afterEach. */
export function openTempDatabase(clock: Clock = fixedClock): {
  db: SqliteDatabase;
  dir: string;
  file: string;
  cleanup: () => void;
} {
  const temp = makeTempDir();
  const file = path.join(temp.dir, 'console.sqlite');
  const db = openDatabase({ file, clock });
  return {
    db,
    dir: temp.dir,
    file,
    cleanup: () => {
      if (db.open) db.close();
      temp.remove();
    },
  };
}
