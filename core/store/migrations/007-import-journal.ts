// The import journal. An import stages its good rows here while it reads the file, then commits
// in one transaction that turns its status to 'writing'. From then on the rows are written in
// short transactions, each removing the rows it wrote, so the event loop never waits on a whole
// file. An import left 'writing' by a crash is finished when the console next opens the data
// folder; one left 'reading' is dropped, and the stored data is as it was before it.
// Migration 007 of the schema.
export const migration007 = {
  version: 7,
  name: 'import-journal',
  sql: `
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  file_name TEXT NOT NULL,
  actor TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id),
  status TEXT NOT NULL CHECK (status IN ('reading', 'writing')),
  -- JSON, set at the commit: what reading the file found (format, row counts, rejected rows, roles).
  read_report TEXT,
  -- JSON, updated by every write: the roles and candidates written so far.
  counts TEXT,
  -- The time every candidate and event of the import is written with.
  written_at TEXT,
  -- Renewed while a process works on the import; an import whose heartbeat is old was left by a
  -- process that stopped, and the next one to open the data folder takes it over.
  heartbeat_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE import_rows (
  import_id INTEGER NOT NULL REFERENCES imports(id),
  seq INTEGER NOT NULL,
  line INTEGER,
  path TEXT,
  role_external_id TEXT NOT NULL,
  candidate_external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  email_key TEXT,
  linkedin_url TEXT,
  linkedin_slug TEXT,
  phone TEXT,
  resume_sha256 TEXT,
  resume_file_name TEXT,
  resume_size INTEGER,
  resume_content_type TEXT,
  resume_problem TEXT,
  state TEXT NOT NULL,
  state_changed_at TEXT NOT NULL,
  -- JSON, set when the row was written but kept the stored candidate; listed in the report.
  stale TEXT,
  PRIMARY KEY (import_id, seq)
) STRICT, WITHOUT ROWID;
`,
} as const;
