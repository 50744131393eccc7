// The trigram index over audit messages is filled in batches by the audit indexer
// (core/audit/message-index.ts), no longer by a trigger on each insert. Each transaction that
// inserted an entry wrote a new index segment and often merged segments, which made an entry
// cost about 300 us more than its row; in batches of 100 an entry costs about 40 us (both measured
// on a 2-core machine). Entries after `indexed_to` are searched without the index until the
// indexer reaches them.
// Migration 009 of the schema.
export const migration009 = {
  version: 9,
  name: 'audit-index-in-batches',
  sql: `
DROP TRIGGER audit_fts_after_insert;

CREATE TABLE audit_fts_progress (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  -- Every audit entry with an id up to this one is in audit_fts.
  indexed_to INTEGER NOT NULL
) STRICT;
INSERT INTO audit_fts_progress (id, indexed_to) SELECT 1, coalesce(max(id), 0) FROM audit_log;

-- Only an indexed entry has index rows to remove; removing one that has none corrupts the index.
DROP TRIGGER audit_fts_after_delete;
CREATE TRIGGER audit_fts_after_delete AFTER DELETE ON audit_log
WHEN OLD.id <= (SELECT indexed_to FROM audit_fts_progress WHERE id = 1)
BEGIN
  INSERT INTO audit_fts (audit_fts, rowid, message) VALUES ('delete', OLD.id, OLD.message);
END;
`,
} as const;
