// Indexes for the pipeline list of a role with tens of thousands of candidates: each sort order
// of listCandidates can then read a page in index order instead of sorting the whole role.
export const migration004 = {
  version: 4,
  name: 'candidate-list-indexes',
  sql: `
CREATE INDEX candidates_role_name ON candidates (role_id, name COLLATE NOCASE, id);
CREATE INDEX candidates_role_recent ON candidates (role_id, state_changed_at, id);
`,
} as const;
