// Tables of the sync engine: the per-client mirror of Ashby candidates and applications that the
// identity resolver reads, the sync tokens that keep it fresh, cached interview plans (so a push can
// be previewed offline) and the lock that lets one engine at a time process a data folder.
export const migration003 = {
  version: 3,
  name: 'engine',
  sql: `
CREATE TABLE ashby_candidates (
  client_id INTEGER NOT NULL REFERENCES clients(id),
  ashby_candidate_id TEXT NOT NULL,
  name TEXT NOT NULL,
  -- Lower-cased, trimmed name; a same-name match without an identity match becomes a review item.
  name_key TEXT NOT NULL,
  -- JSON array of every email address Ashby stores for the candidate, as Ashby returns them.
  emails TEXT NOT NULL DEFAULT '[]',
  -- JSON array of Ashby application ids.
  application_ids TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (client_id, ashby_candidate_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX ashby_candidates_name ON ashby_candidates (client_id, name_key);

-- Identity keys of indexed candidates: kind 'email' holds normalizeEmail keys, kind 'linkedin'
-- holds canonical profile slugs. One candidate may have several keys of each kind.
CREATE TABLE ashby_identity_keys (
  client_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'linkedin')),
  key TEXT NOT NULL,
  ashby_candidate_id TEXT NOT NULL,
  PRIMARY KEY (client_id, kind, key, ashby_candidate_id),
  FOREIGN KEY (client_id, ashby_candidate_id)
    REFERENCES ashby_candidates (client_id, ashby_candidate_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX ashby_identity_keys_candidate ON ashby_identity_keys (client_id, ashby_candidate_id);

-- Applications on linked jobs, with the current stage.
CREATE TABLE ashby_applications (
  client_id INTEGER NOT NULL REFERENCES clients(id),
  ashby_application_id TEXT NOT NULL,
  ashby_candidate_id TEXT NOT NULL,
  ashby_job_id TEXT NOT NULL,
  status TEXT NOT NULL,
  stage_id TEXT NOT NULL,
  stage_title TEXT NOT NULL,
  stage_type TEXT NOT NULL,
  stage_order INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (client_id, ashby_application_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX ashby_applications_candidate_job ON ashby_applications (client_id, ashby_candidate_id, ashby_job_id);

-- One row per incrementally synced stream: 'candidates', or 'applications:<jobId>'.
CREATE TABLE ashby_sync_state (
  client_id INTEGER NOT NULL REFERENCES clients(id),
  stream TEXT NOT NULL,
  sync_token TEXT,
  -- Number of records the last full pass read; used to estimate the cost of a rebuild.
  full_count INTEGER NOT NULL DEFAULT 0,
  synced_at TEXT NOT NULL,
  PRIMARY KEY (client_id, stream)
) STRICT, WITHOUT ROWID;

-- Interview plan of a linked job as last read from Ashby (JSON array of stages).
CREATE TABLE ashby_job_plans (
  client_id INTEGER NOT NULL REFERENCES clients(id),
  ashby_job_id TEXT NOT NULL,
  job_title TEXT NOT NULL,
  job_status TEXT NOT NULL,
  interview_plan_id TEXT NOT NULL,
  stages TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (client_id, ashby_job_id)
) STRICT, WITHOUT ROWID;

-- At most one row: the engine that currently processes this data folder.
CREATE TABLE engine_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  acquired_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
`,
} as const;
