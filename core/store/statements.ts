// Prepared-statement cache per connection, for queries that run once per item or per candidate.
//
// Each better-sqlite3 Statement owns a compiled SQLite program in native memory, which V8 does not
// count. Preparing the same SQL on every call therefore leaves thousands of unreachable statements
// that wait for a garbage collection the small JS heap rarely triggers. In the benchmark's
// 5-client bulk push (tests/bench) that came to about 5 KB per call and over 100 MB of RSS.
import type Database from 'better-sqlite3';

/**
 * Maximum statements kept per connection. The engine's hot paths use under 100 distinct SQL texts,
 * so the bound only matters for a caller that builds SQL from data.
 */
export const MAX_CACHED_STATEMENTS = 500;

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * Prepares `sql` on `db` once and returns the same statement on later calls. Callers must not
 * switch its modes (`pluck`, `raw`, `expand`, `safeIntegers`), because every caller of the same
 * SQL shares the object. Use `db.prepare` for SQL built from data, where each text runs once.
 */
export function prepareCached(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }

  const cached = cache.get(sql);
  // A statement whose `iterate()` is still open cannot run again, so that caller gets a new one.
  if (cached !== undefined && !cached.busy) return cached;
  if (cached !== undefined) return db.prepare(sql);

  const statement = db.prepare(sql);
  if (cache.size >= MAX_CACHED_STATEMENTS) {
    // Maps iterate in insertion order, so this drops the statement compiled longest ago.
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(sql, statement);
  return statement;
}
