// First schema. Migrations are append-only: once released, a migration is never edited; a
// change goes into a new numbered file. Timestamps are ISO-8601 UTC strings with milliseconds.
export const migration001 = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  base_url TEXT NOT NULL,
  -- Sandbox tenants' keys are not secrets, so they are kept here; every other key lives only in
  -- the OS keychain and this column stays NULL.
  is_sandbox INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox IN (0, 1)),
  sandbox_api_key TEXT CHECK (sandbox_api_key IS NULL OR is_sandbox = 1),
  status TEXT NOT NULL DEFAULT 'connected'
    CHECK (status IN ('connected', 'needs_attention', 'disconnected', 'offline')),
  status_reason TEXT,
  -- 1 when an admin disconnected the client on purpose (as opposed to a rejected key).
  disconnected_by_user INTEGER NOT NULL DEFAULT 0 CHECK (disconnected_by_user IN (0, 1)),
  enabled_events TEXT NOT NULL DEFAULT '["request_intro","complete_intro","archive","hire"]',
  source_id TEXT,
  source_title TEXT,
  archive_reason_id TEXT,
  archive_reason_text TEXT,
  review_before_push INTEGER NOT NULL DEFAULT 0 CHECK (review_before_push IN (0, 1)),
  -- NULL keeps audit entries forever.
  audit_retention_days INTEGER CHECK (audit_retention_days IS NULL OR audit_retention_days > 0),
  key_title TEXT,
  key_scopes TEXT NOT NULL DEFAULT '[]',
  last_push_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  ashby_job_id TEXT,
  ashby_job_title TEXT,
  ashby_interview_plan_id TEXT,
  link_status TEXT NOT NULL DEFAULT 'unlinked'
    CHECK (link_status IN ('unlinked', 'resolving', 'linked', 'needs_attention')),
  link_status_reason TEXT,
  -- JSON object: lifecycle event -> Ashby interview stage id chosen by an admin.
  stage_overrides TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (client_id, external_id)
) STRICT;

CREATE TABLE candidates (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  role_id INTEGER NOT NULL REFERENCES roles(id),
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  -- Lower-cased, trimmed; provider-specific equivalences applied (see core/engine identity).
  email_key TEXT,
  linkedin_url TEXT,
  -- Canonical LinkedIn profile slug, lower-cased (the part after /in/).
  linkedin_slug TEXT,
  phone TEXT,
  -- Resume copied into the data folder under resumes/<sha256>.
  resume_sha256 TEXT,
  resume_file_name TEXT,
  resume_size INTEGER,
  resume_content_type TEXT,
  state TEXT NOT NULL
    CHECK (state IN ('shortlisted', 'intro_requested', 'intro_completed', 'archived', 'hired')),
  state_changed_at TEXT NOT NULL,
  ashby_status TEXT NOT NULL DEFAULT 'unknown'
    CHECK (ashby_status IN ('unknown', 'linked', 'not_in_ashby', 'needs_attention')),
  ashby_status_reason TEXT,
  ashby_candidate_id TEXT,
  ashby_application_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (role_id, external_id)
) STRICT;
CREATE INDEX candidates_client_email ON candidates (client_id, email_key);
CREATE INDEX candidates_client_linkedin ON candidates (client_id, linkedin_slug);
CREATE INDEX candidates_role_state ON candidates (role_id, state);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  role_id INTEGER REFERENCES roles(id),
  kind TEXT NOT NULL CHECK (kind IN ('bulk_push', 'link_resolution', 'import')),
  status TEXT NOT NULL
    CHECK (status IN ('running', 'paused', 'cancelled', 'completed', 'completed_with_failures', 'failed')),
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  message TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;
CREATE INDEX runs_client ON runs (client_id, created_at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  role_id INTEGER NOT NULL REFERENCES roles(id),
  candidate_id INTEGER NOT NULL REFERENCES candidates(id),
  event TEXT NOT NULL CHECK (event IN ('shortlist', 'request_intro', 'complete_intro', 'archive', 'hire')),
  origin TEXT NOT NULL CHECK (origin IN ('import', 'action', 'manual_push', 'bulk_push')),
  run_id INTEGER REFERENCES runs(id),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'review', 'paused', 'needs_attention', 'failed', 'done', 'discarded', 'cancelled')),
  -- Machine-readable reason for review / paused / needs_attention / failed, plus a sentence.
  reason_code TEXT,
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT,
  -- JSON: what the worker has learnt so far (Ashby candidate id, application id, pending writes).
  progress TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_runnable ON outbox (status, next_attempt_at);
CREATE INDEX outbox_client_status ON outbox (client_id, status);
CREATE INDEX outbox_candidate ON outbox (candidate_id);
CREATE INDEX outbox_run ON outbox (run_id, status);

-- One row per step a worker completed (resolved, candidate_created, resume_uploaded,
-- application_created, application_moved, application_unchanged, archived, hired, ...).
CREATE TABLE outbox_steps (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  step TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped', 'unknown')),
  detail TEXT,
  ashby_request_id TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_steps_item ON outbox_steps (outbox_id);

CREATE TABLE outbox_attempts (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('done', 'retry', 'failed', 'needs_attention', 'review', 'paused')),
  error_code TEXT,
  error_message TEXT
) STRICT;
CREATE INDEX outbox_attempts_item ON outbox_attempts (outbox_id);

-- Append-only record of every decision, Ashby write, review decision, settings change and export.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  client_id INTEGER REFERENCES clients(id),
  role_id INTEGER REFERENCES roles(id),
  candidate_id INTEGER REFERENCES candidates(id),
  outbox_id INTEGER REFERENCES outbox(id),
  event TEXT,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  ashby_candidate_id TEXT,
  ashby_application_id TEXT,
  ashby_request_id TEXT,
  actor TEXT NOT NULL DEFAULT 'engine',
  details TEXT
) STRICT;
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_client_at ON audit_log (client_id, at);
CREATE INDEX audit_candidate ON audit_log (candidate_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed');
END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
} as const;
