// Shared setup for pipeline tests: a real SQLite file in a temp folder with one client.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Clock } from '../../../core/clock.js';
import { openDatabase } from '../../../core/store/db.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { renderResumePdf } from '../../../core/pipeline/pdf.js';

/** Creates a clock that only moves when the test calls `advance`. */
export function manualClock(start = Date.UTC(2026, 11, 1, 12, 0, 0)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

export interface PipelineFixture {
  dir: string;
  dataDir: string;
  db: Database.Database;
  clientId: number;
  clock: ReturnType<typeof manualClock>;
  /** Writes a file under the fixture's export folder and returns its path. */
  write(name: string, content: string | Buffer): string;
  cleanup(): void;
}

export function createFixture(): PipelineFixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'pipeline-test-'));
  const dataDir = path.join(dir, 'data');
  const clock = manualClock();
  const db = openDatabase({ file: path.join(dataDir, 'console.sqlite'), clock });
  const client = createClient(db, clock, { name: 'Northwind Robotics', baseUrl: 'http://127.0.0.1:1' });
  const exportDir = path.join(dir, 'export');
  return {
    dir,
    dataDir,
    db,
    clientId: client.id,
    clock,
    write(name, content) {
      const file = path.join(exportDir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const HEADER = 'role_id,role_title,candidate_id,name,email,linkedin_url,phone,resume_path,state,state_changed_at';

/** Builds CSV text from rows of ten fields each; fields are written as given (quote them yourself). */
export function csv(...rows: string[]): string {
  return `${HEADER}\n${rows.join('\n')}\n`;
}

export function samplePdf(name = 'Test Person'): Buffer {
  return renderResumePdf({ name, headline: 'Engineer', contact: ['test@example.com'], sections: [] });
}

export interface OutboxRow {
  id: number;
  candidate_id: number;
  role_id: number;
  event: string;
  origin: string;
}

export function outboxRows(db: Database.Database): OutboxRow[] {
  return db.prepare('SELECT id, candidate_id, role_id, event, origin FROM outbox ORDER BY id').all() as OutboxRow[];
}

export interface CandidateRow {
  id: number;
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
  resume_problem: string | null;
  state: string;
  state_changed_at: string;
}

export function candidateRow(db: Database.Database, externalId: string): CandidateRow | undefined {
  return db.prepare('SELECT * FROM candidates WHERE external_id = ?').get(externalId) as CandidateRow | undefined;
}

const SCHEMA = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/schemas/jackandjill.pipeline.v1.schema.json',
);

// ajv-formats is CommonJS; under ESM interop its function may arrive wrapped in `default`.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Compiles the JSON Schema of the pipeline export with every error collected. */
export function compileSchema() {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
}
