import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormat, previewPipelineFile } from '../../../core/pipeline/import.js';
import { createFixture, csv, samplePdf, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

describe('previewPipelineFile', () => {
  it('checks resumes without copying them', async () => {
    fixture.write('resumes/a.pdf', samplePdf());
    const file = fixture.write(
      'p.csv',
      csv(
        'r1,Backend,c1,Ada,ada@example.com,,,resumes/a.pdf,shortlisted,2026-11-01T10:00:00Z',
        'r1,Backend,c2,Bob,bob@example.com,,,resumes/b.pdf,shortlisted,2026-11-01T10:00:00Z',
      ),
    );
    const preview = await previewPipelineFile({ file });
    expect(preview.rows).toBe(2);
    expect(preview.rowsRejected).toBe(0);
    expect(preview.rowsWithoutResume).toBe(1);
    expect(preview.rejected[0]?.code).toBe('resume_not_found');
    expect(preview.rejected[0]?.rowKept).toBe(true);
    expect(preview.roles).toEqual([{ id: 'r1', title: 'Backend', candidates: 2 }]);
    expect(preview.changes).toBeUndefined();
    expect(existsSync(path.join(fixture.dataDir, 'resumes'))).toBe(false);
  });

  it('rejects an empty CSV file', async () => {
    const file = fixture.write('empty.csv', '\uFEFF');
    await expect(previewPipelineFile({ file })).rejects.toMatchObject({ code: 'missing_columns' });
  });
});

describe('detectFormat', () => {
  it('uses the extension first', async () => {
    expect(await detectFormat(fixture.write('a.CSV', '{}'))).toBe('csv');
    expect(await detectFormat(fixture.write('a.json', 'x,y'))).toBe('json');
  });

  it('reads the content otherwise', async () => {
    expect(await detectFormat(fixture.write('export.txt', '\uFEFF  {"format": "jackandjill.pipeline/v1"}'))).toBe('json');
    expect(await detectFormat(fixture.write('export.dat', 'role_id,role_title\n'))).toBe('csv');
    await expect(detectFormat(fixture.write('notes.md', 'hello'))).rejects.toMatchObject({ code: 'unknown_format' });
  });
});
