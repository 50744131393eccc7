import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CACHED_STATEMENTS, prepareCached } from '../../../core/store/statements.js';
import { openTempDatabase } from './helpers.js';

let temp: ReturnType<typeof openTempDatabase>;
let other: ReturnType<typeof openTempDatabase>;

beforeEach(() => {
  temp = openTempDatabase();
  other = openTempDatabase();
  temp.db.exec('CREATE TABLE numbers (n INTEGER NOT NULL)');
  temp.db.prepare('INSERT INTO numbers (n) VALUES (1), (2), (3)').run();
});

afterEach(() => {
  temp.cleanup();
  other.cleanup();
});

describe('prepareCached', () => {
  it('returns the same statement for the same SQL', () => {
    const first = prepareCached(temp.db, 'SELECT COUNT(*) AS count FROM numbers');
    const second = prepareCached(temp.db, 'SELECT COUNT(*) AS count FROM numbers');

    expect(second).toBe(first);
    expect(second.get()).toEqual({ count: 3 });
  });

  it('keeps one cache per connection', () => {
    const sql = 'SELECT COUNT(*) AS count FROM clients';
    const onTemp = prepareCached(temp.db, sql);
    const onOther = prepareCached(other.db, sql);

    expect(onOther).not.toBe(onTemp);
    expect(onOther.database).toBe(other.db);
  });

  it('prepares a new statement while the cached one iterates', () => {
    const sql = 'SELECT n FROM numbers ORDER BY n';
    const seen: number[][] = [];
    for (const row of prepareCached(temp.db, sql).iterate() as Iterable<{ n: number }>) {
      const inner = prepareCached(temp.db, sql);
      seen.push((inner.all() as { n: number }[]).map((entry) => entry.n));
      expect(row.n).toBeGreaterThan(0);
    }

    expect(seen).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(prepareCached(temp.db, sql).busy).toBe(false);
  });

  it('reads columns added after the statement was cached', () => {
    const statement = prepareCached(temp.db, 'SELECT * FROM numbers ORDER BY n LIMIT 1');
    expect(statement.get()).toEqual({ n: 1 });

    temp.db.exec("ALTER TABLE numbers ADD COLUMN label TEXT NOT NULL DEFAULT 'one'");

    expect(prepareCached(temp.db, 'SELECT * FROM numbers ORDER BY n LIMIT 1').get()).toEqual({
      n: 1,
      label: 'one',
    });
  });

  it('drops the oldest statement beyond the bound', () => {
    const oldest = prepareCached(temp.db, 'SELECT 0 AS value');
    for (let index = 1; index <= MAX_CACHED_STATEMENTS; index += 1) {
      prepareCached(temp.db, `SELECT ${index} AS value`);
    }

    const newest = prepareCached(temp.db, `SELECT ${MAX_CACHED_STATEMENTS} AS value`);
    const again = prepareCached(temp.db, 'SELECT 0 AS value');

    expect(newest.get()).toEqual({ value: MAX_CACHED_STATEMENTS });
    expect(again).not.toBe(oldest);
    expect(again.get()).toEqual({ value: 0 });
  });
});
