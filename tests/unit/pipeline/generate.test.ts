import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generatePipelineExport } from '../../../core/pipeline/generate.js';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { renderResumePdf } from '../../../core/pipeline/pdf.js';
import { compileSchema, createFixture, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

const base = { roles: 4, seed: 7, withResumes: false, resumePool: 10 };

describe('generatePipelineExport', () => {
  it('gives the same bytes for the same seed', async () => {
    const a = path.join(fixture.dir, 'a.csv');
    const b = path.join(fixture.dir, 'b.csv');
    const c = path.join(fixture.dir, 'c.csv');
    await generatePipelineExport({ ...base, candidates: 500, out: a, format: 'csv' });
    await generatePipelineExport({ ...base, candidates: 500, out: b, format: 'csv' });
    await generatePipelineExport({ ...base, seed: 8, candidates: 500, out: c, format: 'csv' });
    expect(readFileSync(a)).toEqual(readFileSync(b));
    expect(readFileSync(a)).not.toEqual(readFileSync(c));
  });

  it('writes a CSV that imports without rejections', async () => {
    const out = path.join(fixture.dir, 'gen/pipeline.csv');
    const result = await generatePipelineExport({ ...base, candidates: 300, out, format: 'csv', withResumes: true });
    expect(result.resumes).toBe(10);
    const report = await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file: out, dataDir: fixture.dataDir });
    expect(report.rejected).toEqual([]);
    expect(report.rows).toBe(300);
    expect(report.candidatesCreated).toBe(300);
    expect(report.rolesCreated).toBe(4);
    const withResume = fixture.db.prepare('SELECT count(*) AS n FROM candidates WHERE resume_sha256 IS NOT NULL').get();
    expect(withResume).toEqual({ n: 300 });
  });

  it('writes JSON that matches the schema', async () => {
    const out = path.join(fixture.dir, 'pipeline.json');
    await generatePipelineExport({ ...base, candidates: 200, out, format: 'json' });
    const validate = compileSchema();
    const valid = validate(JSON.parse(readFileSync(out, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const report = await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file: out, dataDir: fixture.dataDir });
    expect(report.candidatesCreated).toBe(200);
  });
});

describe('renderResumePdf', () => {
  it('writes an xref table with exact offsets', () => {
    const pdf = renderResumePdf({
      name: 'Zoë Ångström (CV)',
      headline: 'Engineer \\ Operator',
      contact: ['zoe@example.org'],
      sections: [{ title: 'Experience', lines: ['One', 'Two'] }],
    });
    const text = pdf.toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const entries = text.slice(startxref).split('\n').slice(3, 10);
    entries.forEach((entry, index) => {
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + `${index + 1} 0 obj`.length)).toBe(`${index + 1} 0 obj`);
    });
    const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
    const streamStart = text.indexOf('stream\n') + 'stream\n'.length;
    expect(text.slice(streamStart + length, streamStart + length + 10)).toBe('\nendstream');
    expect(text).toContain('(Zoe Angstrom \\(CV\\)) Tj');
    expect(text).toContain('(Engineer \\\\ Operator) Tj');
  });
});
