import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { candidateRow, compileSchema, createFixture, type PipelineFixture } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SAMPLES = path.join(ROOT, 'resources/samples');

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

async function importSample(name: string) {
  return importPipelineFile(fixture.db, {
    clock: fixture.clock,
    clientId: fixture.clientId,
    file: path.join(SAMPLES, name),
    dataDir: fixture.dataDir,
  });
}

function roleTitles(): string[] {
  return (fixture.db.prepare('SELECT title FROM roles ORDER BY id').all() as Array<{ title: string }>).map((row) => row.title);
}

function statesOf(): Set<string> {
  return new Set((fixture.db.prepare('SELECT DISTINCT state FROM candidates').all() as Array<{ state: string }>).map((row) => row.state));
}

describe('sample exports', () => {
  it('imports Northwind Robotics with its known mistakes', async () => {
    const report = await importSample('northwind-robotics.json');
    expect(report.format).toBe('json');
    expect(report.rejected.map((entry) => [entry.path, entry.code])).toEqual([
      ['roles[0].candidates[6]', 'invalid_email'],
      ['roles[1].candidates[4]', 'missing_identity'],
      ['roles[1].candidates[5]', 'unknown_state'],
      ['roles[2].candidates[3]', 'resume_not_found'],
    ]);
    expect(report.rejected.filter((entry) => entry.rowKept).map((entry) => entry.path)).toEqual(['roles[2].candidates[3]']);
    expect(report.rows).toBe(17);
    expect(report.rowsRejected).toBe(3);
    expect(report.rowsWithoutResume).toBe(1);
    expect(report.candidatesCreated).toBe(14);
    expect(report.eventsFired).toBe(14);
    const carlos = candidateRow(fixture.db, 'nw-cand-017');
    expect(carlos?.resume_sha256).toBeNull();
    expect(carlos?.resume_problem).toBe('resume file not found: resumes/carlos-vega-cv.pdf');
    expect(roleTitles()).toEqual(['Senior Backend Engineer', 'Product Designer', 'Staff ML Engineer']);
    expect(statesOf().size).toBe(5);

    expect(candidateRow(fixture.db, 'nw-cand-001')?.email_key).toBe('jane.roe@example.com');
    const omar = candidateRow(fixture.db, 'nw-cand-002');
    expect(omar?.linkedin_slug).toBe('omar-haddad-fake');
    expect(omar?.linkedin_url).toBe('https://www.linkedin.com/in/omar-haddad-fake');
    expect(omar?.state).toBe('intro_completed');
    expect(candidateRow(fixture.db, 'nw-cand-003')?.email_key).toBe('priya.natarajan@example.org');
    expect(candidateRow(fixture.db, 'nw-cand-003')?.state).toBe('intro_requested');
  });

  it('imports Acme Health with its known mistakes', async () => {
    const report = await importSample('acme-health.csv');
    expect(report.format).toBe('csv');
    expect(report.rejected.map((entry) => [entry.line, entry.code])).toEqual([
      [8, 'invalid_email'],
      [9, 'missing_identity'],
      [15, 'unknown_state'],
      [16, 'resume_not_found'],
      [17, 'duplicate_candidate_id'],
    ]);
    expect(report.rows).toBe(16);
    expect(report.rowsRejected).toBe(4);
    expect(report.candidatesCreated).toBe(12);
    expect(candidateRow(fixture.db, 'acme-cand-015')?.resume_problem).toBe('resume file not found: resumes/ben-carter.pdf');
    expect(roleTitles()).toEqual(['Full-Stack Engineer', 'Clinical Operations Lead']);
    expect(statesOf().size).toBe(5);

    expect(candidateRow(fixture.db, 'acme-cand-001')?.email_key).toBe('lucas.moreau@example.net');
    const mei = candidateRow(fixture.db, 'acme-cand-009');
    expect(mei?.linkedin_url).toBe('https://www.linkedin.com/in/mei-tanaka-fake');
    expect(mei?.state).toBe('intro_completed');
    expect(candidateRow(fixture.db, 'acme-cand-003')?.phone).toBe('+1 (555) 010-2233, ext. 4');
    expect(candidateRow(fixture.db, 'acme-cand-013')?.resume_content_type).toBe('application/pdf');
  });

  it('imports Globex Logistics with its known mistakes', async () => {
    const report = await importSample('globex-logistics.json');
    expect(report.rejected.map((entry) => [entry.path, entry.code])).toEqual([
      ['roles[0].candidates[6]', 'missing_identity'],
      ['roles[0].candidates[7]', 'resume_not_found'],
      ['roles[1].candidates[5]', 'invalid_email'],
      ['roles[1].candidates[6]', 'unknown_state'],
    ]);
    expect(report.candidatesCreated).toBe(12);
    expect(candidateRow(fixture.db, 'glx-cand-008')?.resume_problem).toBe('resume file not found: resumes/lina-berg-resume.pdf');
    expect(roleTitles()).toEqual(['Warehouse Operations Manager', 'Site Reliability Engineer']);
    expect(statesOf().size).toBe(5);

    const ana = candidateRow(fixture.db, 'glx-cand-001');
    expect(ana?.email).toBe('ana.souza@example.com');
    expect(ana?.email_key).toBe('ana.souza@example.com');
    expect(candidateRow(fixture.db, 'glx-cand-009')?.state).toBe('hired');
    expect(candidateRow(fixture.db, 'glx-cand-010')?.resume_file_name).toBe('Zoë_Ångström_CV_履歴書.pdf');
  });

  it('fires nothing on a second sample import', async () => {
    await importSample('acme-health.csv');
    const again = await importSample('acme-health.csv');
    expect(again.eventsFired).toBe(0);
    expect(again.unchanged).toBe(12);
  });

  it('match the schema except at the known mistakes', () => {
    const validate = compileSchema();
    const failing = (name: string): string[] => {
      validate(JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')));
      const paths = (validate.errors ?? []).map((error) => error.instancePath.replace(/\/(email|state)$/, ''));
      return [...new Set(paths)].sort();
    };
    expect(failing('northwind-robotics.json')).toEqual(['/roles/0/candidates/6', '/roles/1/candidates/4', '/roles/1/candidates/5']);
    expect(failing('globex-logistics.json')).toEqual(['/roles/0/candidates/6', '/roles/1/candidates/5', '/roles/1/candidates/6']);
  });

  it('ship resumes that are valid PDFs', () => {
    const folder = path.join(SAMPLES, 'resumes');
    const pdfs = readdirSync(folder).filter((name) => name.endsWith('.pdf'));
    expect(pdfs.length).toBeGreaterThan(30);
    for (const name of pdfs) {
      const bytes = readFileSync(path.join(folder, name));
      expect(bytes.subarray(0, 5).toString('latin1'), name).toBe('%PDF-');
      expect(bytes.length, name).toBeLessThan(10_000);
    }
  });
});
