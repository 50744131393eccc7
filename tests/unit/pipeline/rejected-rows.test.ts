import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile, previewPipelineFile, type RejectedRow } from '../../../core/pipeline/import.js';
import { MAX_RESUME_BYTES } from '../../../core/pipeline/resume.js';
import { candidateRow, createFixture, csv, samplePdf, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

function byLine(rejected: RejectedRow[]): Map<number, RejectedRow[]> {
  const lines = new Map<number, RejectedRow[]>();
  for (const entry of rejected) {
    const list = lines.get(entry.line ?? -1) ?? [];
    list.push(entry);
    lines.set(entry.line ?? -1, list);
  }
  return lines;
}

async function importCsv(text: string) {
  const file = fixture.write('pipeline.csv', text);
  return importPipelineFile(fixture.db, {
    clock: fixture.clock,
    clientId: fixture.clientId,
    file,
    dataDir: fixture.dataDir,
  });
}

describe('CSV rejected rows', () => {
  it('reports each kind of bad row with its line, value and reason', async () => {
    fixture.write('resumes/ok.pdf', samplePdf());
    fixture.write('resumes/empty.pdf', Buffer.alloc(0));
    fixture.write('resumes/fake.pdf', 'this is not a pdf');
    fixture.write('resumes/cv.exe', 'MZ binary');
    fixture.write('resumes/huge.pdf', Buffer.alloc(MAX_RESUME_BYTES + 1, 0x25));
    mkdirSync(path.join(fixture.dir, 'export/resumes/folder.pdf'), { recursive: true });

    const report = await importCsv(
      csv(
        'r1,Backend,c1,Good One,good.one@example.com,,,resumes/ok.pdf,shortlisted,2026-11-01T10:00:00Z', // line 2
        'r1,Backend,c2,Bad Email,not-an-email,,,,shortlisted,2026-11-01T10:00:00Z', // 3
        'r1,Backend,c3,,no.name@example.com,,,,shortlisted,2026-11-01T10:00:00Z', // 4
        'r1,Backend,c4,No Identity,,,,,shortlisted,2026-11-01T10:00:00Z', // 5
        'r1,Backend,c5,Odd State,odd.state@example.com,,,,interviewing,2026-11-01T10:00:00Z', // 6
        'r1,Backend,c6,Missing Resume,missing@example.com,,,resumes/nope.pdf,shortlisted,2026-11-01T10:00:00Z', // 7
        'r1,Backend,c7,Empty Resume,empty@example.com,,,resumes/empty.pdf,shortlisted,2026-11-01T10:00:00Z', // 8
        'r1,Backend,c8,Fake Pdf,fake@example.com,,,resumes/fake.pdf,shortlisted,2026-11-01T10:00:00Z', // 9
        'r1,Backend,c9,Exe Resume,exe@example.com,,,resumes/cv.exe,shortlisted,2026-11-01T10:00:00Z', // 10
        'r1,Backend,c10,Huge Resume,huge@example.com,,,resumes/huge.pdf,shortlisted,2026-11-01T10:00:00Z', // 11
        'r1,Backend,c1,Duplicate,dup@example.com,,,,intro_requested,2026-11-02T10:00:00Z', // 12
        'r1,Backend,c11,Bad Date,bad.date@example.com,,,,shortlisted,2026-02-30T10:00:00Z', // 13
        'r1,Backend,c12,Date Only,date.only@example.com,,,,shortlisted,2026-11-01', // 14
        'r1,Backend,c13,Folder Resume,folder@example.com,,,resumes/folder.pdf,shortlisted,2026-11-01T10:00:00Z', // 15
        'r1,Backend,c14,Bad LinkedIn,,https://example.com/in/someone,,,shortlisted,2026-11-01T10:00:00Z', // 16
      ),
    );

    const lines = byLine(report.rejected);
    const expectOne = (line: number, field: string, code: string, value: unknown) => {
      const entries = lines.get(line) ?? [];
      expect(entries, `line ${line}`).toHaveLength(1);
      expect(entries[0]?.field, `line ${line} field`).toBe(field);
      expect(entries[0]?.code, `line ${line} code`).toBe(code);
      expect(entries[0]?.value, `line ${line} value`).toEqual(value);
      expect(entries[0]?.reason.length, `line ${line} reason`).toBeGreaterThan(10);
      // Only a resume problem keeps its row.
      expect(entries[0]?.rowKept, `line ${line} rowKept`).toBe(field === 'resume_path' ? true : undefined);
    };
    expect(lines.has(2)).toBe(false);
    expectOne(3, 'email', 'invalid_email', 'not-an-email');
    expectOne(4, 'name', 'missing_name', '');
    expectOne(5, 'email', 'missing_identity', '');
    expectOne(6, 'state', 'unknown_state', 'interviewing');
    expectOne(7, 'resume_path', 'resume_not_found', 'resumes/nope.pdf');
    expectOne(8, 'resume_path', 'resume_empty', 'resumes/empty.pdf');
    expectOne(9, 'resume_path', 'resume_type', 'resumes/fake.pdf');
    expectOne(10, 'resume_path', 'resume_type', 'resumes/cv.exe');
    expectOne(11, 'resume_path', 'resume_too_large', 'resumes/huge.pdf');
    expectOne(12, 'candidate_id', 'duplicate_candidate_id', 'c1');
    expectOne(13, 'state_changed_at', 'invalid_date', '2026-02-30T10:00:00Z');
    expectOne(14, 'state_changed_at', 'invalid_date', '2026-11-01');
    expectOne(15, 'resume_path', 'resume_unreadable', 'resumes/folder.pdf');
    expectOne(16, 'linkedin_url', 'invalid_linkedin', 'https://example.com/in/someone');

    expect(report.rows).toBe(15);
    expect(report.rowsRejected).toBe(8);
    expect(report.rowsWithoutResume).toBe(6);
    expect(report.candidatesCreated).toBe(7);
    expect(candidateRow(fixture.db, 'c1')?.name).toBe('Good One');
    expect(candidateRow(fixture.db, 'c1')?.resume_problem).toBeNull();
    expect(candidateRow(fixture.db, 'c2')).toBeUndefined();
    expect(fixture.db.prepare('SELECT count(*) AS n FROM candidates').get()).toEqual({ n: 7 });

    // Each row whose only problem is its resume is imported without one, keeping the reason.
    const reasons = new Map(report.rejected.map((entry) => [entry.line, entry.reason]));
    for (const [externalId, line, fileName] of [
      ['c6', 7, 'nope.pdf'],
      ['c7', 8, 'empty.pdf'],
      ['c8', 9, 'fake.pdf'],
      ['c9', 10, 'cv.exe'],
      ['c10', 11, 'huge.pdf'],
      ['c13', 15, 'folder.pdf'],
    ] as const) {
      const row = candidateRow(fixture.db, externalId);
      expect(row?.resume_sha256, externalId).toBeNull();
      expect(row?.resume_file_name, externalId).toBe(fileName);
      expect(row?.resume_problem, externalId).toBe(reasons.get(line));
    }
    expect(fixture.db.prepare("SELECT count(*) AS n FROM outbox WHERE event = 'shortlist'").get()).toEqual({ n: 7 });
  });

  it('names the reasons a user can act on', async () => {
    const report = await importCsv(
      csv(
        'r1,Backend,c1,No Identity,,,,,shortlisted,2026-11-01T10:00:00Z',
        'r1,Backend,c2,Odd State,odd@example.com,,,,on_hold,2026-11-01T10:00:00Z',
        'r1,Backend,c3,Missing,missing@example.com,,,resumes/gone.pdf,shortlisted,2026-11-01T10:00:00Z',
      ),
    );
    const reasons = report.rejected.map((entry) => entry.reason);
    expect(reasons[0]).toMatch(/no email and no LinkedIn/);
    expect(reasons[1]).toMatch(/unknown state "on_hold"; use one of shortlisted, intro_requested/);
    expect(reasons[2]).toBe('resume file not found: resumes/gone.pdf');
  });

  it('lists every problem of a row with several', async () => {
    const report = await importCsv(csv('r1,Backend,c1,,bad@,,,,nope,yesterday'));
    expect(report.rowsRejected).toBe(1);
    expect(report.rejected.map((entry) => entry.code).sort()).toEqual([
      'invalid_date',
      'invalid_email',
      'missing_name',
      'unknown_state',
    ]);
    expect(new Set(report.rejected.map((entry) => entry.line))).toEqual(new Set([2]));
  });

  it('gives the start line of a row after a multi-line field', async () => {
    const report = await importCsv(
      csv(
        'r1,Backend,c1,"Ada\nLovelace",ada@example.com,,,,shortlisted,2026-11-01T10:00:00Z', // lines 2-3
        '',
        'r1,Backend,c2,Bad Email,bad-email,,,,shortlisted,2026-11-01T10:00:00Z', // line 5 after a blank line
      ),
    );
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]?.line).toBe(5);
    expect(candidateRow(fixture.db, 'c1')?.name).toBe('Ada\nLovelace');
  });

  it('rejects a row with a wrong field count', async () => {
    const report = await importCsv(csv('r1,Backend,c1,Short Row,short@example.com'));
    expect(report.rejected).toEqual([
      expect.objectContaining({ line: 2, code: 'invalid_row', reason: 'row has 5 fields but the header has 10' }),
    ]);
  });

  it('rejects a second title for one role', async () => {
    const report = await importCsv(
      csv(
        'r1,Backend,c1,Ada One,ada1@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
        'r1,Frontend,c2,Ada Two,ada2@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
      ),
    );
    expect(report.rejected).toEqual([expect.objectContaining({ line: 3, field: 'role_title', code: 'role_title_conflict' })]);
  });

  it('fails on a header without required columns', async () => {
    const file = fixture.write('broken.csv', 'role_id,name,email\nr1,Ada,ada@example.com\n');
    await expect(
      importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir }),
    ).rejects.toMatchObject({ code: 'missing_columns', message: expect.stringContaining('role_title, candidate_id, state, state_changed_at') });
  });

  it('fails on an unclosed quote with its line', async () => {
    const file = fixture.write('broken.csv', csv('r1,Backend,c1,"Ada,ada@example.com,,,,shortlisted,2026-11-01T10:00:00Z'));
    await expect(
      importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir }),
    ).rejects.toMatchObject({ code: 'invalid_csv', message: expect.stringMatching(/near line \d+: Quote Not Closed/) });
    expect(fixture.db.prepare('SELECT count(*) AS n FROM roles').get()).toEqual({ n: 0 });
  });

  it('fails on a missing file', async () => {
    await expect(
      importPipelineFile(fixture.db, {
        clock: fixture.clock,
        clientId: fixture.clientId,
        file: path.join(fixture.dir, 'nowhere.csv'),
        dataDir: fixture.dataDir,
      }),
    ).rejects.toMatchObject({ code: 'file_not_found' });
  });

  it('fails for an unknown client', async () => {
    const file = fixture.write('p.csv', csv('r1,Backend,c1,Ada,ada@example.com,,,,shortlisted,2026-11-01T10:00:00Z'));
    await expect(
      importPipelineFile(fixture.db, { clock: fixture.clock, clientId: 999, file, dataDir: fixture.dataDir }),
    ).rejects.toMatchObject({ code: 'client_not_found' });
  });

  it.skipIf(process.getuid?.() === 0)('rejects an unreadable resume', async () => {
    const resume = fixture.write('resumes/locked.pdf', samplePdf());
    chmodSync(resume, 0o000);
    const report = await importCsv(
      csv('r1,Backend,c1,Locked,locked@example.com,,,resumes/locked.pdf,shortlisted,2026-11-01T10:00:00Z'),
    );
    expect(report.rejected).toEqual([expect.objectContaining({ line: 2, code: 'resume_unreadable', rowKept: true })]);
    expect(candidateRow(fixture.db, 'c1')?.resume_problem).toMatch(/permission denied/);
  });

  it('rejects the row and its resume together', async () => {
    const report = await importCsv(
      csv('r1,Backend,c1,Bad Email,not-an-email,,,resumes/gone.pdf,shortlisted,2026-11-01T10:00:00Z'),
    );
    expect(report.rejected.map((entry) => [entry.code, entry.rowKept])).toEqual([
      ['invalid_email', undefined],
      ['resume_not_found', undefined],
    ]);
    expect(report.rowsRejected).toBe(1);
    expect(report.rowsWithoutResume).toBe(0);
    expect(candidateRow(fixture.db, 'c1')).toBeUndefined();
  });
});

describe('JSON rejected rows', () => {
  it('reports each bad candidate at its path', async () => {
    fixture.write('resumes/ok.pdf', samplePdf());
    const document = {
      format: 'jackandjill.pipeline/v1',
      exportedAt: '2026-12-01T08:00:00Z',
      roles: [
        {
          id: 'r1',
          title: 'Backend',
          candidates: [
            { id: 'c1', name: 'Good', email: 'good@example.com', resume: 'resumes/ok.pdf', state: 'shortlisted', stateChangedAt: '2026-11-01T10:00:00Z' },
            { id: 'c2', name: 'Bad Email', email: 'a@b', state: 'shortlisted', stateChangedAt: '2026-11-01T10:00:00Z' },
            { id: 'c3', name: '   ', email: 'blank@example.com', state: 'shortlisted', stateChangedAt: '2026-11-01T10:00:00Z' },
          ],
        },
        {
          id: 'r2',
          title: 'Design',
          candidates: [
            { id: 'c4', name: 'No Identity', state: 'hired', stateChangedAt: '2026-11-01T10:00:00Z' },
            { id: 'c5', name: 'Odd', email: 'odd@example.com', state: 'Hired', stateChangedAt: '2026-11-01T10:00:00Z' },
            { id: 'c6', name: 'Missing', email: 'm@example.com', resume: 'resumes/none.docx', state: 'hired', stateChangedAt: '2026-11-01T10:00:00Z' },
            { id: 'c4', name: 'Twice', email: 'twice@example.com', state: 'hired', stateChangedAt: '2026-11-01T10:00:00Z' },
            { id: 'c7', name: 'Bad Date', email: 'date@example.com', state: 'hired', stateChangedAt: 20261101 },
            'not an object',
          ],
        },
        { id: '', title: 'No Id', candidates: [] },
      ],
    };
    const file = fixture.write('pipeline.json', JSON.stringify(document));
    const report = await importPipelineFile(fixture.db, {
      clock: fixture.clock,
      clientId: fixture.clientId,
      file,
      dataDir: fixture.dataDir,
    });

    const summary = report.rejected.map((entry) => [entry.path, entry.field, entry.code]);
    expect(summary).toEqual([
      ['roles[0].candidates[1]', 'email', 'invalid_email'],
      ['roles[0].candidates[2]', 'name', 'missing_name'],
      ['roles[1].candidates[0]', 'email', 'missing_identity'],
      ['roles[1].candidates[1]', 'state', 'unknown_state'],
      ['roles[1].candidates[2]', 'resume', 'resume_not_found'],
      ['roles[1].candidates[4]', 'stateChangedAt', 'invalid_type'],
      ['roles[1].candidates[5]', '(candidate)', 'invalid_type'],
      ['roles[2]', 'id', 'invalid_role'],
    ]);
    // c4 was rejected at candidates[0], so the later c4 is the first good one and is imported.
    expect(candidateRow(fixture.db, 'c4')?.name).toBe('Twice');
    expect(report.rows).toBe(9);
    expect(report.rowsRejected).toBe(6);
    expect(report.rowsWithoutResume).toBe(1);
    expect(report.rejected.find((entry) => entry.code === 'resume_not_found')?.rowKept).toBe(true);
    expect(candidateRow(fixture.db, 'c6')?.resume_problem).toBe('resume file not found: resumes/none.docx');
    expect(candidateRow(fixture.db, 'c6')?.resume_file_name).toBe('none.docx');
    expect(report.candidatesCreated).toBe(3);
    expect(report.rejected.every((entry) => entry.line === undefined)).toBe(true);
  });

  it('rejects a duplicate id at its path', async () => {
    const candidate = { name: 'Ada', email: 'ada@example.com', state: 'shortlisted', stateChangedAt: '2026-11-01T10:00:00Z' };
    const file = fixture.write(
      'dup.json',
      JSON.stringify({
        format: 'jackandjill.pipeline/v1',
        exportedAt: '2026-12-01T08:00:00Z',
        roles: [{ id: 'r1', title: 'Backend', candidates: [{ id: 'c1', ...candidate }, { id: 'c1', ...candidate, name: 'Ada Again' }] }],
      }),
    );
    const report = await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir });
    expect(report.rejected).toEqual([
      expect.objectContaining({
        path: 'roles[0].candidates[1]',
        field: 'id',
        code: 'duplicate_candidate_id',
        value: 'c1',
        reason: 'duplicate candidate id c1 in role r1; first given at roles[0].candidates[0], which is the one imported',
      }),
    ]);
    expect(candidateRow(fixture.db, 'c1')?.name).toBe('Ada');
  });

  it('fails on a wrong format id', async () => {
    const file = fixture.write('other.json', JSON.stringify({ format: 'something/v2', roles: [] }));
    await expect(previewPipelineFile({ file })).rejects.toMatchObject({ code: 'wrong_format_id' });
  });

  it('fails on malformed JSON', async () => {
    const file = fixture.write('broken.json', '{ "format": "jackandjill.pipeline/v1", "roles": [ ');
    await expect(previewPipelineFile({ file })).rejects.toMatchObject({ code: 'invalid_json' });
  });
});
