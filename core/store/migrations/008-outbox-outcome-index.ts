// A bulk push's items are counted by status and outcome, the outcome being in each item's JSON
// progress. An index over (run_id, status, outcome), with the outcome as the same json_extract
// expression the count groups by, lets SQLite group in index order (see countRunItems). It
// replaces the (run_id, status) index, which is its prefix.
// Migration 008 of the schema.
export const migration008 = {
  version: 8,
  name: 'outbox-outcome-index',
  sql: `
DROP INDEX outbox_run;
CREATE INDEX outbox_run_outcome ON outbox (run_id, status, json_extract(progress, '$.outcome'));
`,
} as const;
