// Audit log search and retention. Adds the indexes the Activity screen filters on, a trigram
// full-text index over messages, and the one narrow path by which entries may be deleted: an
// audited purge that holds a grant row for the length of its transaction.
export const migration002 = {
  version: 2,
  name: 'audit-search-and-purge',
  sql: `
-- Every filter of the Activity screen is served by an index ending in \`at\` (the rowid follows it
-- in each index entry), so a page is a range scan in (at, id) order whatever the filter.
CREATE INDEX audit_role_at ON audit_log (role_id, at);
CREATE INDEX audit_event_at ON audit_log (event, at);
CREATE INDEX audit_outcome_at ON audit_log (outcome, at);
CREATE INDEX audit_client_outcome_at ON audit_log (client_id, outcome, at);

-- Substring search over messages. The trigram tokenizer matches any run of three or more
-- characters, in any script, ignoring case and diacritics; the text itself stays in audit_log.
CREATE VIRTUAL TABLE audit_fts USING fts5(
  message,
  content = 'audit_log',
  content_rowid = 'id',
  tokenize = 'trigram remove_diacritics 1'
);
CREATE TRIGGER audit_fts_after_insert AFTER INSERT ON audit_log
BEGIN
  INSERT INTO audit_fts (rowid, message) VALUES (NEW.id, NEW.message);
END;
CREATE TRIGGER audit_fts_after_delete AFTER DELETE ON audit_log
BEGIN
  INSERT INTO audit_fts (audit_fts, rowid, message) VALUES ('delete', OLD.id, OLD.message);
END;
INSERT INTO audit_fts (audit_fts) VALUES ('rebuild');

-- A purge inserts one grant, deletes, and removes the grant in the same transaction. A grant
-- must point at the purge's own audit entry (action 'audit.purge', same client), and each entry
-- can back one grant only, so no deletion happens without a matching record of it.
CREATE TABLE audit_purge_grants (
  id INTEGER PRIMARY KEY,
  audit_id INTEGER NOT NULL UNIQUE REFERENCES audit_log(id),
  client_id INTEGER NOT NULL REFERENCES clients(id),
  -- Entries of this client with \`at\` strictly before the cutoff may be deleted.
  cutoff TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_purge_grants_require_entry BEFORE INSERT ON audit_purge_grants
WHEN NOT EXISTS (
  SELECT 1 FROM audit_log a
  WHERE a.id = NEW.audit_id AND a.action = 'audit.purge' AND a.client_id = NEW.client_id
)
BEGIN
  SELECT RAISE(ABORT, 'audit purge grant rejected: it must reference an audit.purge entry of the same client');
END;
CREATE TRIGGER audit_purge_grants_no_update BEFORE UPDATE ON audit_purge_grants
BEGIN
  SELECT RAISE(ABORT, 'audit purge grants cannot be changed');
END;

-- The delete trigger now lets a row go only while a grant covers it. Purge records themselves,
-- and anything written after the grant's own entry, are never deletable.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.action = 'audit.purge' OR NOT EXISTS (
  SELECT 1 FROM audit_purge_grants g
  WHERE g.client_id = OLD.client_id AND OLD.at < g.cutoff AND OLD.id < g.audit_id
)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed');
END;
`,
} as const;
