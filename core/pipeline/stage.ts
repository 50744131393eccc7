// Validated rows waiting to be written. They sit in SQLite, not in memory, so a 50,000-row export
// is not held as objects while the file is read, and the writes read them back a few at a time.
// A preview's TEMP table lives in a temporary file beyond the page cache (better-sqlite3 is built
// with SQLITE_TEMP_STORE=1); an import's rows are in the journal table import_rows.
import type Database from 'better-sqlite3';
import type { PipelineState } from '../../shared/domain.js';
import type { StoredResume } from './resume.js';
import type { ValidRow } from './validate.js';

export interface StagedRow {
  seq: number;
  line: number | null;
  path: string | null;
  role_external_id: string;
  candidate_external_id: string;
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
  /** The rejection reason of the row's resume file; set only when `resume_sha256` is null. */
  resume_problem: string | null;
  state: PipelineState;
  state_changed_at: string;
}

/** A resume file the import rejected for a row it still imports. */
export interface ResumeProblem {
  /** The file's base name, as the row gives it. */
  fileName: string;
  reason: string;
}

/** Builds a staged row from its columns, in the order of STAGED_COLUMNS. */
function stagedRow(columns: unknown[]): StagedRow {
  const [
    seq,
    line,
    path,
    roleExternalId,
    candidateExternalId,
    name,
    email,
    emailKey,
    linkedinUrl,
    linkedinSlug,
    phone,
    resumeSha256,
    resumeFileName,
    resumeSize,
    resumeContentType,
    resumeProblem,
    state,
    stateChangedAt,
  ] = columns as [
    number,
    number | null,
    string | null,
    string,
    string,
    string,
    string | null,
    string | null,
    string | null,
    string | null,
    string | null,
    string | null,
    string | null,
    number | null,
    string | null,
    string | null,
    PipelineState,
    string,
  ];
  return {
    seq,
    line,
    path,
    role_external_id: roleExternalId,
    candidate_external_id: candidateExternalId,
    name,
    email,
    email_key: emailKey,
    linkedin_url: linkedinUrl,
    linkedin_slug: linkedinSlug,
    phone,
    resume_sha256: resumeSha256,
    resume_file_name: resumeFileName,
    resume_size: resumeSize,
    resume_content_type: resumeContentType,
    resume_problem: resumeProblem,
    state,
    state_changed_at: stateChangedAt,
  };
}

/** Rows per staging transaction: a few milliseconds of work. */
const INSERT_BATCH = 250;
let stageCounter = 0;

const STAGED_COLUMNS = `seq, line, path, role_external_id, candidate_external_id, name, email, email_key,
  linkedin_url, linkedin_slug, phone, resume_sha256, resume_file_name, resume_size, resume_content_type,
  resume_problem, state, state_changed_at`;

/**
 * Good rows of one preview or import, in file order. A preview stages into a TEMP table of its
 * connection (`ImportStage.temporary`). An import stages into `import_rows` under its journal entry
 * (`ImportStage.forImport`), so that a commit survives a crash.
 */
export class ImportStage {
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement<unknown[], unknown[]>;
  private readonly scope: unknown[];
  private pending: unknown[][] = [];
  private closed = false;
  private count = 0;

  private constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    importId: number | null,
  ) {
    this.scope = importId === null ? [] : [importId];
    const scoped = importId === null ? '' : 'import_id = ? AND ';
    const placeholders = new Array(18 + this.scope.length).fill('?').join(', ');
    this.insert = db.prepare(
      `INSERT INTO ${table} (${importId === null ? '' : 'import_id, '}${STAGED_COLUMNS}) VALUES (${placeholders})`,
    );
    // Rows come back as arrays: building the objects in JavaScript, all of one shape, takes half
    // the time of better-sqlite3's named rows.
    this.select = db
      .prepare<unknown[], unknown[]>(
        `SELECT ${STAGED_COLUMNS} FROM ${table} WHERE ${scoped}seq > ? AND stale IS NULL ORDER BY seq LIMIT ?`,
      )
      .raw();
  }

  /** A stage in a TEMP table, dropped with `drop()`; nothing of it reaches the database file. */
  static temporary(db: Database.Database): ImportStage {
    stageCounter += 1;
    const table = `temp.pipeline_preview_${process.pid}_${stageCounter}`;
    db.exec(`CREATE TABLE ${table} (
      seq INTEGER PRIMARY KEY,
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
      stale TEXT
    )`);
    return new ImportStage(db, table, null);
  }

  /** The stage of the journal entry `importId`; its rows are removed as the import writes them. */
  static forImport(db: Database.Database, importId: number): ImportStage {
    return new ImportStage(db, 'import_rows', importId);
  }

  /**
   * Buffers one row. `resume` is the stored copy of its resume file; `resumeProblem` is set instead
   * when the file was rejected, and keeps the file's name with the reason.
   */
  add(
    location: { line?: number; path?: string },
    row: ValidRow,
    resume: StoredResume | null,
    resumeProblem: ResumeProblem | null = null,
  ): void {
    this.count += 1;
    this.pending.push([
      ...this.scope,
      this.count,
      location.line ?? null,
      location.path ?? null,
      row.roleId,
      row.candidateId,
      row.name,
      row.email,
      row.emailKey,
      row.linkedinUrl,
      row.linkedinSlug,
      row.phone,
      resume?.sha256 ?? null,
      resume?.fileName ?? resumeProblem?.fileName ?? null,
      resume?.size ?? null,
      resume?.contentType ?? null,
      resume === null ? (resumeProblem?.reason ?? null) : null,
      row.state,
      row.stateChangedAt,
    ]);
    if (this.pending.length >= INSERT_BATCH) this.flush();
  }

  /** Writes buffered rows to the stage in one short transaction (it touches no candidate or role). */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const values of rows) this.insert.run(values);
    })();
  }

  /** Up to `limit` staged rows after `seq`, in file order, leaving out rows marked stale. */
  rowsAfter(seq: number, limit: number): StagedRow[] {
    return this.select.all(...this.scope, seq, limit).map(stagedRow);
  }

  /** Drops a TEMP stage. An import's rows are removed by the journal (see journal.ts). */
  drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    if (this.scope.length === 0 && this.db.open) this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
