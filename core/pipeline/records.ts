// Candidate reads and writes on the import's hot path. An import runs them once per row, for files
// of tens of thousands of rows, so they are prepared once per connection and return plain rows.
// The store's candidate repository prepares and maps a full row on every call. These share its
// row type and skip the mapping. Roles, clients and audit entries go through the store's
// repositories.
import type Database from 'better-sqlite3';
import type { PipelineState } from '../../shared/domain.js';
import type { CandidateRow } from '../store/repo/candidates.js';

/** A stored candidate row, with the state the table's CHECK constraint guarantees. */
export type CandidateRecord = Omit<CandidateRow, 'state'> & { state: PipelineState };

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
  resumeProblem: string | null;
  state: PipelineState;
  stateChangedAt: string;
}

function buildStatements(db: Database.Database) {
  return {
    selectCandidate: db.prepare<[number, string], CandidateRecord>(
      'SELECT * FROM candidates WHERE role_id = ? AND external_id = ?',
    ),
    // Positional parameters: binding an object by name cost more than the insert itself.
    insertCandidate: db.prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, email, email_key, linkedin_url, linkedin_slug,
         phone, resume_sha256, resume_file_name, resume_size, resume_content_type, resume_problem, state,
         state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateCandidate: db.prepare(
      `UPDATE candidates SET name = ?, email = ?, email_key = ?, linkedin_url = ?, linkedin_slug = ?, phone = ?,
         resume_sha256 = ?, resume_file_name = ?, resume_size = ?, resume_content_type = ?, resume_problem = ?,
         state = ?, state_changed_at = ?, updated_at = ?
       WHERE id = ?`,
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

export function findCandidate(db: Database.Database, roleId: number, externalId: string): CandidateRecord | undefined {
  return statements(db).selectCandidate.get(roleId, externalId);
}

export function insertCandidate(
  db: Database.Database,
  keys: { clientId: number; roleId: number; externalId: string },
  values: CandidateValues,
  now: string,
): number {
  const result = statements(db).insertCandidate.run(keys.clientId, keys.roleId, keys.externalId, ...columnValues(values), now, now);
  return Number(result.lastInsertRowid);
}

export function updateCandidate(db: Database.Database, id: number, values: CandidateValues, now: string): void {
  statements(db).updateCandidate.run(...columnValues(values), now, id);
}

/** Returns the values in the column order both statements use, from `name` to `state_changed_at`. */
function columnValues(values: CandidateValues): unknown[] {
  return [
    values.name,
    values.email,
    values.emailKey,
    values.linkedinUrl,
    values.linkedinSlug,
    values.phone,
    values.resumeSha256,
    values.resumeFileName,
    values.resumeSize,
    values.resumeContentType,
    values.resumeProblem,
    values.state,
    values.stateChangedAt,
  ];
}
