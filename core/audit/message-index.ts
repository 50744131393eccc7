// Fills the trigram index over audit messages (audit_fts) in batches. Appending an entry leaves
// the index alone; the indexer adds new entries a batch per turn of the event loop, shortly after.
// A search covers the entries it has not reached yet by reading them (text-search.ts), so every
// entry is found from the moment it is written.
import type Database from 'better-sqlite3';
import type { Logger } from '../log/logger.js';
import { prepareCached } from '../store/statements.js';
import { yieldToEventLoop } from '../turns.js';

/** Entries indexed per transaction: a few milliseconds of work. */
export const INDEX_BATCH = 100;
/** How often the indexer looks for entries it has not indexed. */
export const INDEX_INTERVAL_MS = 500;

/** Returns the id up to which every audit entry is in the message index. */
export function auditIndexedTo(db: Database.Database): number {
  return prepareCached(db, 'SELECT indexed_to FROM audit_fts_progress WHERE id = 1')
    .pluck()
    .get() as number;
}

/**
 * Indexes up to `limit` of the oldest entries not yet in the message index, in one transaction,
 * and returns how many it indexed. The transaction takes the write lock at once, so two processes
 * never index the same entries.
 */
export function indexAuditEntries(db: Database.Database, limit: number = INDEX_BATCH): number {
  return db
    .transaction(() => {
      const from = auditIndexedTo(db);
      const batch = prepareCached(
        db,
        'SELECT count(*) AS count, max(id) AS upTo FROM (SELECT id FROM audit_log WHERE id > ? ORDER BY id LIMIT ?)',
      ).get(from, limit) as { count: number; upTo: number | null };
      if (batch.upTo === null) return 0;
      prepareCached(
        db,
        'INSERT INTO audit_fts (rowid, message) SELECT id, message FROM audit_log WHERE id > ? AND id <= ?',
      ).run(from, batch.upTo);
      prepareCached(db, 'UPDATE audit_fts_progress SET indexed_to = ? WHERE id = 1').run(
        batch.upTo,
      );
      return batch.count;
    })
    .immediate();
}

/** Indexes every entry not yet in the message index, yielding to the event loop between batches. */
export async function indexAllAuditEntries(db: Database.Database): Promise<number> {
  let indexed = 0;
  for (;;) {
    const added = indexAuditEntries(db);
    if (added === 0) return indexed;
    indexed += added;
    await yieldToEventLoop();
  }
}

/**
 * Indexes new audit entries every INDEX_INTERVAL_MS until `stop()`, which indexes what is left and
 * then resolves. A failure, such as another process holding the write lock for too long, is
 * logged and tried again on the next pass.
 */
export function startAuditIndexer(
  db: Database.Database,
  logger: Logger,
  intervalMs: number = INDEX_INTERVAL_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const pass = (): Promise<void> => {
    running ??= indexAllAuditEntries(db)
      .then(() => undefined)
      .catch((error: unknown) => {
        logger.warn(
          { err: error },
          'indexing audit entries for search failed; searches still find them, and it is tried again',
        );
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      if (db.open) await pass();
    },
  };
}
