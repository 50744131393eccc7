import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log/logger.js';
import { startCheckpointer } from '../../../core/store/checkpointer.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { fixedClock, makeTempDir } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
let file: string;
const open: SqliteDatabase[] = [];

beforeEach(() => {
  temp = makeTempDir('ashby-checkpoint-');
  file = path.join(temp.dir, 'console.sqlite');
});

afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
  temp.remove();
});

function openWith(checkpoints: 'inline' | 'background'): SqliteDatabase {
  const db = openDatabase({ file, clock: fixedClock, checkpoints });
  open.push(db);
  return db;
}

/** Writes about 2 MB in one transaction: 500 pages, below SQLite's 1,000-page automatic checkpoint. */
function writeTwoMegabytes(db: SqliteDatabase): void {
  db.exec('CREATE TABLE filler (body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  db.transaction(() => {
    for (let index = 0; index < 500; index += 1) insert.run(`${index}`.padEnd(4000, 'x'));
  })();
}

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('background checkpoints', () => {
  it('background mode stops commit checkpoints', () => {
    expect(openWith('background').pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('inline mode keeps commit checkpoints', () => {
    expect(openWith('inline').pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('worker copies pages into database', async () => {
    const db = openWith('background');
    const before = statSync(file).size;
    writeTwoMegabytes(db);
    // The main connection never checkpoints, so only the worker can grow the database file.
    expect(await waitFor(() => statSync(file).size >= before + 2_000_000)).toBe(true);
    expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(500);
  });

  it('inline mode leaves small WAL alone', async () => {
    const db = openWith('inline');
    const before = statSync(file).size;
    writeTwoMegabytes(db);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(statSync(file).size).toBe(before);
  });

  it('close folds the WAL in', () => {
    const db = openWith('background');
    writeTwoMegabytes(db);
    closeDatabase(db);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openWith('inline');
    expect(reopened.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(500);
  });

  it('falls back when worker fails', async () => {
    const db = openWith('inline');
    const logger = createLogger('store-test');
    const checkpointer = startCheckpointer(
      db,
      path.join(temp.dir, 'missing', 'gone.sqlite'),
      logger,
    );
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(await waitFor(() => db.pragma('wal_autocheckpoint', { simple: true }) === 1000)).toBe(
      true,
    );
    checkpointer.stop();
  });
});
