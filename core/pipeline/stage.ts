// Validated rows waiting for the import transaction. They sit in a TEMP table, so a 50,000-row
// export is not held in memory as objects while the file is read, and the transaction reads
// them back in batches. SQLite keeps TEMP tables in a temporary file beyond its page cache
// (better-sqlite3 is built with SQLITE_TEMP_STORE=1).
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

const INSERT_BATCH = 1000;
let stageCounter = 0;

export class ImportStage {
  readonly table: string;
  private readonly insert: Database.Statement;
  private pending: unknown[][] = [];
  private closed = false;
  private count = 0;

  constructor(private readonly db: Database.Database) {
    stageCounter += 1;
    this.table = `temp.pipeline_import_${process.pid}_${stageCounter}`;
    db.exec(`CREATE TABLE ${this.table} (
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
      state_changed_at TEXT NOT NULL
    )`);
    this.insert = db.prepare(`INSERT INTO ${this.table} VALUES (${new Array(18).fill('?').join(', ')})`);
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

  /** Writes buffered rows to the TEMP table in one short transaction (it touches no main table). */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const values of rows) this.insert.run(values);
    })();
  }

  /** Yields staged rows in file order, `size` at a time; safe to use inside a transaction. */
  *batches(size: number): Generator<StagedRow[]> {
    const select = this.db.prepare<[number, number], StagedRow>(
      `SELECT * FROM ${this.table} WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = select.all(after, size);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }

  drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    if (this.db.open) this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
