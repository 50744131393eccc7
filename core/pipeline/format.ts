// The two Jack & Jill pipeline export formats (JSON and CSV), the row shape both are read into,
// and the report an import returns. The JSON format is described by
// resources/schemas/jackandjill.pipeline.v1.schema.json.
import type { PipelineState } from '../../shared/domain.js';

export const JSON_FORMAT_ID = 'jackandjill.pipeline/v1';

/** CSV header in the documented order. Columns may come in any order; extra columns are ignored. */
export const CSV_COLUMNS = [
  'role_id',
  'role_title',
  'candidate_id',
  'name',
  'email',
  'linkedin_url',
  'phone',
  'resume_path',
  'state',
  'state_changed_at',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns a CSV header must contain; the others may be left out entirely. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = [
  'role_id',
  'role_title',
  'candidate_id',
  'name',
  'state',
  'state_changed_at',
];

export type PipelineFormat = 'csv' | 'json';

/** Position of a row in its file: a 1-based line for CSV, a JSON path such as `roles[0].candidates[3]`. */
export type RowLocation = { line: number } | { path: string };

/**
 * One candidate row as read from either format, before validation. Values are the file's own
 * strings (JSON values of another type are kept as they are, so the report can show them).
 */
export interface RawPipelineRow {
  location: RowLocation;
  roleId: unknown;
  roleTitle: unknown;
  candidateId: unknown;
  name: unknown;
  email: unknown;
  linkedinUrl: unknown;
  phone: unknown;
  resume: unknown;
  state: unknown;
  stateChangedAt: unknown;
}

/** Row fields. The maps below give each one's name in a format, so a rejection uses the file's own name. */
export type RowField = Exclude<keyof RawPipelineRow, 'location'>;

export const CSV_FIELD_NAMES: Record<RowField, CsvColumn> = {
  roleId: 'role_id',
  roleTitle: 'role_title',
  candidateId: 'candidate_id',
  name: 'name',
  email: 'email',
  linkedinUrl: 'linkedin_url',
  phone: 'phone',
  resume: 'resume_path',
  state: 'state',
  stateChangedAt: 'state_changed_at',
};

// Role fields sit on the enclosing role, so a rejection at a candidate's path names them `role.id`.
export const JSON_FIELD_NAMES: Record<RowField, string> = {
  roleId: 'role.id',
  roleTitle: 'role.title',
  candidateId: 'id',
  name: 'name',
  email: 'email',
  linkedinUrl: 'linkedinUrl',
  phone: 'phone',
  resume: 'resume',
  state: 'state',
  stateChangedAt: 'stateChangedAt',
};

/** Stable codes for rejected rows; the UI and the CLI may key messages on them. */
export type RejectionCode =
  | 'missing_field'
  | 'invalid_type'
  | 'missing_name'
  | 'invalid_email'
  | 'invalid_linkedin'
  | 'missing_identity'
  | 'unknown_state'
  | 'invalid_date'
  | 'duplicate_candidate_id'
  | 'role_title_conflict'
  | 'invalid_role'
  | 'invalid_row'
  | 'resume_not_found'
  | 'resume_unreadable'
  | 'resume_empty'
  | 'resume_too_large'
  | 'resume_type';

/** One problem with one row. A row with several problems gets one entry per problem. */
export interface RejectedRow {
  /** 1-based line where the CSV record starts. */
  line?: number;
  /** JSON path of the candidate (or role) entry, for example `roles[0].candidates[3]`. */
  path?: string;
  /** The field as the file names it (`email`, `linkedin_url`, `linkedinUrl`, ...). */
  field: string;
  /** The value found, as written in the file; `null` when the field was missing. */
  value: unknown;
  code: RejectionCode;
  reason: string;
  /**
   * Set when only the row's resume file was rejected: the row is imported anyway, without this file.
   * Unless an earlier import stored a resume for the candidate, the push creates the candidate and
   * application and records the resume step as failed with `reason`.
   */
  rowKept?: true;
}

/** A row that was valid but left as stored, with the reason (an older `stateChangedAt`). */
export interface StaleRow {
  line?: number;
  path?: string;
  roleId: string;
  candidateId: string;
  field: string;
  value: string;
  storedState: PipelineState;
  storedStateChangedAt: string;
  reason: string;
}

export interface ImportReport {
  format: PipelineFormat;
  /** Candidate rows read from the file, good and bad. */
  rows: number;
  /** Rows not imported: each has at least one entry in `rejected` without `rowKept`. */
  rowsRejected: number;
  /** Rows imported without their resume because only the resume file was rejected (`rowKept` entries). */
  rowsWithoutResume: number;
  rolesCreated: number;
  rolesUpdated: number;
  candidatesCreated: number;
  candidatesUpdated: number;
  /** Good rows that changed nothing, including the ones listed in `stale`. */
  unchanged: number;
  /** Lifecycle events added to the outbox. */
  eventsFired: number;
  rejected: RejectedRow[];
  stale: StaleRow[];
}

export interface PreviewRole {
  id: string;
  title: string;
  candidates: number;
}

export interface PreviewReport {
  format: PipelineFormat;
  rows: number;
  rowsRejected: number;
  rowsWithoutResume: number;
  roles: PreviewRole[];
  rejected: RejectedRow[];
  /** Changes an import into the given client would make; present when `db` and `clientId` were given. */
  changes?: Omit<ImportReport, 'format' | 'rows' | 'rowsRejected' | 'rowsWithoutResume' | 'rejected'>;
}

/** Progress of a preview or import. `reading` covers parsing, validation and resume copies. */
export interface ImportProgress {
  phase: 'reading' | 'writing' | 'done';
  rowsRead: number;
  rowsWritten: number;
  bytesRead: number;
  totalBytes: number;
}

/**
 * The import cannot run at all: the file is missing, unreadable or malformed, the client does not
 * exist, or resumes cannot be copied into the data folder. Nothing is written to the database.
 */
export class PipelineImportError extends Error {
  constructor(
    readonly code:
      | 'file_not_found'
      | 'file_unreadable'
      | 'unknown_format'
      | 'invalid_json'
      | 'wrong_format_id'
      | 'invalid_structure'
      | 'invalid_csv'
      | 'missing_columns'
      | 'client_not_found'
      | 'data_folder_unwritable',
    message: string,
  ) {
    super(message);
    this.name = 'PipelineImportError';
  }
}

export function locationFields(location: RowLocation): { line?: number; path?: string } {
  return 'line' in location ? { line: location.line } : { path: location.path };
}

export function describeLocation(location: RowLocation): string {
  return 'line' in location ? `line ${location.line}` : location.path;
}
