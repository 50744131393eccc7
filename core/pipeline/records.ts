// SQL for the roles, candidates and audit rows the pipeline import and actions write.
// Statements are prepared once per connection, because an import runs them once per row.
import type Database from 'better-sqlite3';
import type { PipelineState } from '../../shared/domain.js';

export interface RoleRecord {
  id: number;
  title: string;
}

export interface CandidateRecord {
  id: number;
  client_id: number;
  role_id: number;
  external_id: string;
  name: string;
  email: string | null;
  email_key: string | null;
  linkedin_url: string | null;
  linkedin_slug: string | null;
  phone: string | null;
  resume_sha256: string | null;
  resume_file_name: string | null;
  resume_size: number | null;
  resume_content_type: string | null;
  state: PipelineState;
  state_changed_at: string;
}

/** Column values an import or action writes for one candidate. */
export interface CandidateValues {
  name: string;
  email: string | null;
  emailKey: string | null;
  linkedinUrl: string | null;
  linkedinSlug: string | null;
  phone: string | null;
  resumeSha256: string | null;
  resumeFileName: string | null;
  resumeSize: number | null;
  resumeContentType: string | null;
  state: PipelineState;
  stateChangedAt: string;
}

export interface AuditValues {
  at: string;
  clientId: number;
  roleId?: number | null;
  candidateId?: number | null;
  outboxId?: number | null;
  event?: string | null;
  action: string;
  outcome: string;
  message: string;
  actor: string;
  details?: Record<string, unknown> | null;
}

function buildStatements(db: Database.Database) {
  return {
    clientExists: db.prepare<[number], { id: number }>('SELECT id FROM clients WHERE id = ?'),
    selectRole: db.prepare<[number, string], RoleRecord>(
      'SELECT id, title FROM roles WHERE client_id = ? AND external_id = ?',
    ),
    insertRole: db.prepare<[number, string, string, string, string]>(
      'INSERT INTO roles (client_id, external_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    updateRoleTitle: db.prepare<[string, string, number]>('UPDATE roles SET title = ?, updated_at = ? WHERE id = ?'),
    selectCandidate: db.prepare<[number, string], CandidateRecord>(
      'SELECT * FROM candidates WHERE role_id = ? AND external_id = ?',
    ),
    selectCandidateById: db.prepare<[number], CandidateRecord>('SELECT * FROM candidates WHERE id = ?'),
    insertCandidate: db.prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, email, email_key, linkedin_url, linkedin_slug,
         phone, resume_sha256, resume_file_name, resume_size, resume_content_type, state, state_changed_at,
         created_at, updated_at)
       VALUES (@clientId, @roleId, @externalId, @name, @email, @emailKey, @linkedinUrl, @linkedinSlug,
         @phone, @resumeSha256, @resumeFileName, @resumeSize, @resumeContentType, @state, @stateChangedAt,
         @now, @now)`,
    ),
    updateCandidate: db.prepare(
      `UPDATE candidates SET name = @name, email = @email, email_key = @emailKey, linkedin_url = @linkedinUrl,
         linkedin_slug = @linkedinSlug, phone = @phone, resume_sha256 = @resumeSha256,
         resume_file_name = @resumeFileName, resume_size = @resumeSize, resume_content_type = @resumeContentType,
         state = @state, state_changed_at = @stateChangedAt, updated_at = @now
       WHERE id = @id`,
    ),
    updateCandidateState: db.prepare<[PipelineState, string, string, number]>(
      'UPDATE candidates SET state = ?, state_changed_at = ?, updated_at = ? WHERE id = ?',
    ),
    insertAudit: db.prepare(
      `INSERT INTO audit_log (at, client_id, role_id, candidate_id, outbox_id, event, action, outcome, message, actor, details)
       VALUES (@at, @clientId, @roleId, @candidateId, @outboxId, @event, @action, @outcome, @message, @actor, @details)`,
    ),
  };
}

type Statements = ReturnType<typeof buildStatements>;
const cache = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let prepared = cache.get(db);
  if (!prepared) {
    prepared = buildStatements(db);
    cache.set(db, prepared);
  }
  return prepared;
}

export function clientExists(db: Database.Database, clientId: number): boolean {
  return statements(db).clientExists.get(clientId) !== undefined;
}

export function findRole(db: Database.Database, clientId: number, externalId: string): RoleRecord | undefined {
  return statements(db).selectRole.get(clientId, externalId);
}

export function insertRole(db: Database.Database, clientId: number, externalId: string, title: string, now: string): number {
  return Number(statements(db).insertRole.run(clientId, externalId, title, now, now).lastInsertRowid);
}

export function updateRoleTitle(db: Database.Database, roleId: number, title: string, now: string): void {
  statements(db).updateRoleTitle.run(title, now, roleId);
}

export function findCandidate(db: Database.Database, roleId: number, externalId: string): CandidateRecord | undefined {
  return statements(db).selectCandidate.get(roleId, externalId);
}

export function getCandidate(db: Database.Database, candidateId: number): CandidateRecord | undefined {
  return statements(db).selectCandidateById.get(candidateId);
}

export function insertCandidate(
  db: Database.Database,
  keys: { clientId: number; roleId: number; externalId: string },
  values: CandidateValues,
  now: string,
): number {
  return Number(statements(db).insertCandidate.run({ ...keys, ...values, now }).lastInsertRowid);
}

export function updateCandidate(db: Database.Database, id: number, values: CandidateValues, now: string): void {
  statements(db).updateCandidate.run({ id, ...values, now });
}

export function updateCandidateState(
  db: Database.Database,
  id: number,
  state: PipelineState,
  stateChangedAt: string,
  now: string,
): void {
  statements(db).updateCandidateState.run(state, stateChangedAt, now, id);
}

// NOTE: written here until the store's audit repository exposes an equivalent; the columns are
// those of the first schema.
export function appendAuditEntry(db: Database.Database, entry: AuditValues): number {
  const result = statements(db).insertAudit.run({
    at: entry.at,
    clientId: entry.clientId,
    roleId: entry.roleId ?? null,
    candidateId: entry.candidateId ?? null,
    outboxId: entry.outboxId ?? null,
    event: entry.event ?? null,
    action: entry.action,
    outcome: entry.outcome,
    message: entry.message,
    actor: entry.actor,
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
  return Number(result.lastInsertRowid);
}
