import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile, previewPipelineFile } from '../../../core/pipeline/import.js';
import { storedResumePath } from '../../../core/pipeline/resume.js';
import { queryAuditPage } from '../../../core/audit/query.js';
import { updateClientSettings } from '../../../core/store/repo/clients.js';
import { candidateRow, createFixture, csv, outboxRows, samplePdf, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

function importFile(file: string) {
  return importPipelineFile(fixture.db, {
    clock: fixture.clock,
    clientId: fixture.clientId,
    file,
    dataDir: fixture.dataDir,
  });
}

const ADA = 'r1,Backend Engineer,c1,Ada Lovelace,Ada@Example.COM,,,,shortlisted,2026-11-01T10:00:00Z';
const GRACE = 'r1,Backend Engineer,c2,Grace Hopper,,http://LinkedIn.com/in/Grace-Hopper-Fake?trk=x,,,intro_requested,2026-11-02T10:00:00Z';

describe('pipeline import', () => {
  it('stores identity keys and canonical LinkedIn', async () => {
    const report = await importFile(fixture.write('p.csv', csv(ADA, GRACE)));
    expect(report.candidatesCreated).toBe(2);
    expect(report.rolesCreated).toBe(1);

    const ada = candidateRow(fixture.db, 'c1');
    expect(ada?.email).toBe('Ada@Example.COM');
    expect(ada?.email_key).toBe('ada@example.com');
    const grace = candidateRow(fixture.db, 'c2');
    expect(grace?.linkedin_url).toBe('https://www.linkedin.com/in/grace-hopper-fake');
    expect(grace?.linkedin_slug).toBe('grace-hopper-fake');
    expect(grace?.email).toBeNull();
  });

  it('fires the current state event on first import', async () => {
    const report = await importFile(fixture.write('p.csv', csv(ADA, GRACE)));
    expect(report.eventsFired).toBe(2);
    const events = outboxRows(fixture.db);
    expect(events.map((row) => [row.event, row.origin])).toEqual([
      ['shortlist', 'import'],
      ['request_intro', 'import'],
    ]);
    expect(events[1]?.candidate_id).toBe(candidateRow(fixture.db, 'c2')?.id);
  });

  it('queues events by link and settings', async () => {
    const SHORTLISTED = [
      'r1,Backend Engineer,c1,Ada Lovelace,ada@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
      'r1,Backend Engineer,c2,Grace Hopper,grace@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
      'r2,Data Engineer,c3,Alan Turing,alan@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
    ];
    await importFile(fixture.write('first.csv', csv(...SHORTLISTED)));
    fixture.db.prepare("UPDATE roles SET ashby_job_id = 'job-1' WHERE external_id = 'r1'").run();
    updateClientSettings(fixture.db, fixture.clock, fixture.clientId, { enabledEvents: ['request_intro', 'hire'] });

    await importFile(
      fixture.write(
        'second.csv',
        csv(
          'r1,Backend Engineer,c1,Ada Lovelace,ada@example.com,,,,intro_requested,2026-11-02T10:00:00Z',
          'r1,Backend Engineer,c2,Grace Hopper,grace@example.com,,,,intro_completed,2026-11-02T10:00:00Z',
          'r2,Data Engineer,c3,Alan Turing,alan@example.com,,,,intro_requested,2026-11-02T10:00:00Z',
        ),
      ),
    );
    updateClientSettings(fixture.db, fixture.clock, fixture.clientId, { reviewBeforePush: true });
    await importFile(
      fixture.write(
        'third.csv',
        csv('r1,Backend Engineer,c1,Ada Lovelace,ada@example.com,,,,hired,2026-11-03T10:00:00Z'),
      ),
    );

    const queued = fixture.db
      .prepare(
        `SELECT c.external_id AS candidate, o.event, o.status, o.reason_code AS reasonCode
         FROM outbox o JOIN candidates c ON c.id = o.candidate_id WHERE o.id > 3 ORDER BY o.id`,
      )
      .all();
    expect(queued).toEqual([
      { candidate: 'c1', event: 'request_intro', status: 'pending', reasonCode: null },
      { candidate: 'c2', event: 'complete_intro', status: 'discarded', reasonCode: 'event_disabled' },
      { candidate: 'c3', event: 'request_intro', status: 'discarded', reasonCode: 'role_not_linked' },
      { candidate: 'c1', event: 'hire', status: 'review', reasonCode: 'review_before_push' },
    ]);
    const skipped = fixture.db
      .prepare("SELECT message FROM audit_log WHERE action = 'skipped' ORDER BY id")
      .pluck()
      .all();
    expect(skipped).toEqual([
      'skipped: Complete intro is turned off for Northwind Robotics',
    ]);
  });

  it('fires nothing on the same file twice', async () => {
    const file = fixture.write('p.csv', csv(ADA, GRACE));
    await importFile(file);
    const second = await importFile(file);
    expect(second.eventsFired).toBe(0);
    expect(second.unchanged).toBe(2);
    expect(second.candidatesCreated).toBe(0);
    expect(second.candidatesUpdated).toBe(0);
    expect(second.rolesCreated).toBe(0);
    expect(second.stale).toEqual([]);
    expect(outboxRows(fixture.db)).toHaveLength(2);
  });

  it('fires a forward state change once', async () => {
    await importFile(fixture.write('p1.csv', csv(ADA, GRACE)));
    const moved = fixture.write(
      'p2.csv',
      csv(ADA.replace('shortlisted,2026-11-01T10:00:00Z', 'intro_completed,2026-11-05T09:00:00Z'), GRACE),
    );
    const first = await importFile(moved);
    expect(first.eventsFired).toBe(1);
    expect(first.candidatesUpdated).toBe(1);
    expect(first.unchanged).toBe(1);
    const again = await importFile(moved);
    expect(again.eventsFired).toBe(0);

    const events = outboxRows(fixture.db);
    expect(events.map((row) => row.event)).toEqual(['shortlist', 'request_intro', 'complete_intro']);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('intro_completed');
    expect(candidateRow(fixture.db, 'c1')?.state_changed_at).toBe('2026-11-05T09:00:00.000Z');
  });

  it('keeps a newer state over an older timestamp', async () => {
    await importFile(fixture.write('new.csv', csv(ADA.replace('shortlisted,2026-11-01T10:00:00Z', 'hired,2026-11-20T10:00:00Z'))));
    const report = await importFile(fixture.write('old.csv', csv(ADA)));

    expect(report.eventsFired).toBe(0);
    expect(report.unchanged).toBe(1);
    expect(report.stale).toEqual([
      expect.objectContaining({
        line: 2,
        roleId: 'r1',
        candidateId: 'c1',
        field: 'state_changed_at',
        value: '2026-11-01T10:00:00.000Z',
        storedState: 'hired',
        storedStateChangedAt: '2026-11-20T10:00:00.000Z',
        reason: expect.stringContaining('older than the stored'),
      }),
    ]);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('hired');
    expect(outboxRows(fixture.db).map((row) => row.event)).toEqual(['hire']);
  });

  it('keeps the stored state on a same-time conflict', async () => {
    await importFile(fixture.write('a.csv', csv(ADA)));
    const report = await importFile(fixture.write('b.csv', csv(ADA.replace('shortlisted', 'archived'))));
    expect(report.stale).toHaveLength(1);
    expect(report.stale[0]?.reason).toMatch(/same stateChangedAt/);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('shortlisted');
  });

  it('compares timestamps across time zones', async () => {
    await importFile(fixture.write('a.csv', csv(ADA.replace('2026-11-01T10:00:00Z', '2026-11-01T12:00:00+02:00'))));
    const report = await importFile(fixture.write('b.csv', csv(ADA)));
    expect(report.unchanged).toBe(1);
    expect(report.stale).toEqual([]);
    expect(report.eventsFired).toBe(0);
  });

  it('updates details without an event', async () => {
    await importFile(fixture.write('a.csv', csv(ADA)));
    const report = await importFile(
      fixture.write('b.csv', csv(ADA.replace('Ada Lovelace,Ada@Example.COM,,', 'Ada King,ada.king@example.com,,+44 20 7946 0000'))),
    );
    expect(report.candidatesUpdated).toBe(1);
    expect(report.eventsFired).toBe(0);
    const ada = candidateRow(fixture.db, 'c1');
    expect(ada?.name).toBe('Ada King');
    expect(ada?.email_key).toBe('ada.king@example.com');
    expect(ada?.phone).toBe('+44 20 7946 0000');
  });

  it('keeps a candidate missing from a later export', async () => {
    await importFile(fixture.write('a.csv', csv(ADA, GRACE)));
    const report = await importFile(fixture.write('b.csv', csv(ADA)));
    expect(report.rows).toBe(1);
    const grace = candidateRow(fixture.db, 'c2');
    expect(grace?.state).toBe('intro_requested');
    expect(fixture.db.prepare('SELECT count(*) AS n FROM candidates').get()).toEqual({ n: 2 });
    expect(outboxRows(fixture.db)).toHaveLength(2);
  });

  it('updates a renamed role', async () => {
    await importFile(fixture.write('a.csv', csv(ADA)));
    const report = await importFile(fixture.write('b.csv', csv(ADA.replace('Backend Engineer', 'Senior Backend Engineer'))));
    expect(report.rolesUpdated).toBe(1);
    expect(fixture.db.prepare('SELECT title FROM roles').get()).toEqual({ title: 'Senior Backend Engineer' });
  });

  it('reads BOM, CRLF and quoted fields', async () => {
    const text =
      '\uFEFF' +
      csv(
        'r1,"Backend, Platform",c1,"O\'Brien ""Ada""",ada@example.com,,"+1 (555) 010-2233, ext. 4",,shortlisted,2026-11-01T10:00:00Z',
      ).replaceAll('\n', '\r\n');
    const report = await importFile(fixture.write('bom.csv', text));
    expect(report.rejected).toEqual([]);
    const ada = candidateRow(fixture.db, 'c1');
    expect(ada?.name).toBe('O\'Brien "Ada"');
    expect(ada?.phone).toBe('+1 (555) 010-2233, ext. 4');
    expect(fixture.db.prepare('SELECT external_id, title FROM roles').get()).toEqual({
      external_id: 'r1',
      title: 'Backend, Platform',
    });
  });

  it('accepts columns in another order', async () => {
    const text = 'state,state_changed_at,candidate_id,name,email,role_title,role_id\nhired,2026-11-01T10:00:00Z,c1,Ada,ada@example.com,Backend,r1\n';
    const report = await importFile(fixture.write('order.csv', text));
    expect(report.rejected).toEqual([]);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('hired');
  });

  it('writes one audit entry per import', async () => {
    await importFile(fixture.write('a.csv', csv(ADA, 'r1,Backend Engineer,c9,,,,,,shortlisted,2026-11-01T10:00:00Z')));
    const page = queryAuditPage(fixture.db, { clientId: fixture.clientId });
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]?.action).toBe('pipeline.import');
    expect(page.entries[0]?.outcome).toBe('completed_with_rejections');
    expect(page.entries[0]?.message).toBe('Imported a.csv: 2 rows, 1 candidates created, 0 updated, 0 unchanged, 1 events queued, 1 rows rejected.');
  });

  it('previews without writing', async () => {
    const file = fixture.write('a.csv', csv(ADA, GRACE, 'r2,Designer,c3,Bad,bad,,,,shortlisted,2026-11-01T10:00:00Z'));
    const preview = await previewPipelineFile({ file, db: fixture.db, clientId: fixture.clientId });
    expect(preview.roles).toEqual([
      { id: 'r1', title: 'Backend Engineer', candidates: 2 },
      { id: 'r2', title: 'Designer', candidates: 0 },
    ]);
    expect(preview.rejected).toHaveLength(1);
    expect(preview.changes?.candidatesCreated).toBe(2);
    expect(preview.changes?.eventsFired).toBe(2);
    expect(fixture.db.prepare('SELECT count(*) AS n FROM candidates').get()).toEqual({ n: 0 });
    expect(fixture.db.prepare('SELECT count(*) AS n FROM roles').get()).toEqual({ n: 0 });
    expect(outboxRows(fixture.db)).toEqual([]);
  });

  it('preview counts match the import', async () => {
    await importFile(fixture.write('a.csv', csv(ADA, GRACE)));
    const next = fixture.write(
      'b.csv',
      csv(
        // Ada moves on, Grace's row is older than the stored one, a new role and candidate appear.
        'r1,Backend Engineer,c1,Ada Lovelace,Ada@Example.COM,,,,intro_requested,2026-11-03T10:00:00Z',
        'r1,Backend Engineer,c2,Grace Hopper,,http://LinkedIn.com/in/Grace-Hopper-Fake?trk=x,,,shortlisted,2026-10-01T10:00:00Z',
        'r2,Designer,c3,Alan Turing,alan@example.com,,,,shortlisted,2026-11-03T10:00:00Z',
      ),
    );
    const preview = await previewPipelineFile({ file: next, db: fixture.db, clientId: fixture.clientId });
    const report = await importFile(next);
    const { format: _format, rows: _rows, rowsRejected: _rejected, rowsWithoutResume: _withoutResume, rejected: _list, ...written } = report;
    expect(preview.changes).toEqual(written);
    expect(written.candidatesCreated).toBe(1);
    expect(written.candidatesUpdated).toBe(1);
    expect(written.stale).toHaveLength(1);
    expect(written.eventsFired).toBe(2);
  });

  it('reports progress while reading and writing', async () => {
    const rows = Array.from({ length: 2500 }, (_, index) => `r1,Backend,c${index},Person ${index},p${index}@example.com,,,,shortlisted,2026-11-01T10:00:00Z`);
    const file = fixture.write('big.csv', csv(...rows));
    const phases: string[] = [];
    let lastRead = 0;
    let lastWritten = 0;
    await importPipelineFile(fixture.db, {
      clock: fixture.clock,
      clientId: fixture.clientId,
      file,
      dataDir: fixture.dataDir,
      onProgress: (progress) => {
        phases.push(progress.phase);
        lastRead = progress.rowsRead;
        lastWritten = progress.rowsWritten;
        expect(progress.totalBytes).toBeGreaterThan(0);
      },
    });
    expect(phases[0]).toBe('reading');
    expect(phases).toContain('writing');
    expect(phases.at(-1)).toBe('done');
    expect(lastRead).toBe(2500);
    expect(lastWritten).toBe(2500);
  });
});

describe('resume storage', () => {
  it('stores resumes by content hash', async () => {
    const pdf = samplePdf('Ada Lovelace');
    fixture.write('resumes/Zoë_Ångström_CV_履歴書.pdf', pdf);
    fixture.write('resumes/copy.pdf', pdf);
    const file = fixture.write(
      'p.csv',
      csv(
        'r1,Backend,c1,Zoë Ångström,zoe@example.com,,,resumes/Zoë_Ångström_CV_履歴書.pdf,shortlisted,2026-11-01T10:00:00Z',
        'r1,Backend,c2,Same Bytes,same@example.com,,,resumes/copy.pdf,shortlisted,2026-11-01T10:00:00Z',
      ),
    );
    await importFile(file);
    const sha = createHash('sha256').update(pdf).digest('hex');
    const zoe = candidateRow(fixture.db, 'c1');
    expect(zoe?.resume_sha256).toBe(sha);
    expect(zoe?.resume_file_name).toBe('Zoë_Ångström_CV_履歴書.pdf');
    expect(zoe?.resume_size).toBe(pdf.length);
    expect(zoe?.resume_content_type).toBe('application/pdf');
    expect(candidateRow(fixture.db, 'c2')?.resume_sha256).toBe(sha);
    expect(readFileSync(storedResumePath(fixture.dataDir, sha))).toEqual(pdf);
  });

  it('keeps resumes usable after the export folder moves', async () => {
    const pdf = samplePdf('Moved');
    fixture.write('resumes/moved.pdf', pdf);
    const file = fixture.write('p.csv', csv('r1,Backend,c1,Moved,moved@example.com,,,resumes/moved.pdf,shortlisted,2026-11-01T10:00:00Z'));
    await importFile(file);

    const exportDir = path.dirname(file);
    renameSync(exportDir, `${exportDir}-moved`);
    expect(existsSync(path.join(exportDir, 'resumes/moved.pdf'))).toBe(false);

    const sha = candidateRow(fixture.db, 'c1')?.resume_sha256 ?? '';
    expect(readFileSync(storedResumePath(fixture.dataDir, sha))).toEqual(pdf);

    // A later export from the new place re-imports cleanly and fires nothing.
    const report = await importFile(path.join(`${exportDir}-moved`, 'p.csv'));
    expect(report.unchanged).toBe(1);
    expect(report.eventsFired).toBe(0);
  });

  it('fails the import when a copy fails', async () => {
    fixture.write('resumes/a.pdf', samplePdf('A'));
    const file = fixture.write('a.csv', csv('r1,Backend,c1,A,a@example.com,,,resumes/a.pdf,shortlisted,2026-11-01T10:00:00Z'));
    // A file where the data folder should be makes every copy fail.
    const blocked = fixture.write('not-a-folder', 'x');
    await expect(
      importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: blocked }),
    ).rejects.toMatchObject({ code: 'data_folder_unwritable', message: expect.stringContaining('ENOTDIR') });
    expect(candidateRow(fixture.db, 'c1')).toBeUndefined();
  });

  it('keeps the stored resume when a row drops it', async () => {
    fixture.write('resumes/a.pdf', samplePdf('A'));
    await importFile(fixture.write('a.csv', csv('r1,Backend,c1,A,a@example.com,,,resumes/a.pdf,shortlisted,2026-11-01T10:00:00Z')));
    const report = await importFile(fixture.write('b.csv', csv('r1,Backend,c1,A,a@example.com,,,,shortlisted,2026-11-01T10:00:00Z')));
    expect(report.unchanged).toBe(1);
    expect(candidateRow(fixture.db, 'c1')?.resume_file_name).toBe('a.pdf');
  });

  it('clears a resume problem on a fixed re-import', async () => {
    const row = 'r1,Backend,c1,A,a@example.com,,,resumes/a.pdf,shortlisted,2026-11-01T10:00:00Z';
    fixture.write('resumes/a.pdf', Buffer.alloc(0));
    const file = fixture.write('a.csv', csv(row));
    const first = await importFile(file);
    expect(first.candidatesCreated).toBe(1);
    expect(first.eventsFired).toBe(1);
    expect(candidateRow(fixture.db, 'c1')?.resume_problem).toBe('resume file is empty (0 bytes): resumes/a.pdf');

    // The same bad file again changes nothing and fires nothing.
    const again = await importFile(file);
    expect(again.unchanged).toBe(1);
    expect(again.candidatesUpdated).toBe(0);
    expect(again.eventsFired).toBe(0);
    expect(again.rejected).toEqual([expect.objectContaining({ line: 2, code: 'resume_empty', rowKept: true })]);

    const pdf = samplePdf('A');
    fixture.write('resumes/a.pdf', pdf);
    const fixed = await importFile(file);
    expect(fixed.candidatesUpdated).toBe(1);
    expect(fixed.eventsFired).toBe(0);
    expect(fixed.rejected).toEqual([]);
    const stored = candidateRow(fixture.db, 'c1');
    expect(stored?.resume_problem).toBeNull();
    expect(stored?.resume_sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(stored?.resume_file_name).toBe('a.pdf');
    expect(outboxRows(fixture.db)).toHaveLength(1);
  });

  it('keeps a stored resume over a bad later file', async () => {
    fixture.write('resumes/a.pdf', samplePdf('A'));
    await importFile(fixture.write('a.csv', csv('r1,Backend,c1,A,a@example.com,,,resumes/a.pdf,shortlisted,2026-11-01T10:00:00Z')));
    fixture.write('resumes/b.exe', 'MZ binary');
    const report = await importFile(fixture.write('b.csv', csv('r1,Backend,c1,A,a@example.com,,,resumes/b.exe,shortlisted,2026-11-01T10:00:00Z')));
    expect(report.rejected).toEqual([expect.objectContaining({ line: 2, code: 'resume_type', rowKept: true })]);
    expect(report.unchanged).toBe(1);
    const stored = candidateRow(fixture.db, 'c1');
    expect(stored?.resume_file_name).toBe('a.pdf');
    expect(stored?.resume_problem).toBeNull();
  });

  it('clears a resume problem when the row drops the file', async () => {
    await importFile(fixture.write('a.csv', csv('r1,Backend,c1,A,a@example.com,,,resumes/gone.pdf,shortlisted,2026-11-01T10:00:00Z')));
    expect(candidateRow(fixture.db, 'c1')?.resume_problem).toBe('resume file not found: resumes/gone.pdf');
    const report = await importFile(fixture.write('b.csv', csv('r1,Backend,c1,A,a@example.com,,,,shortlisted,2026-11-01T10:00:00Z')));
    expect(report.candidatesUpdated).toBe(1);
    expect(report.eventsFired).toBe(0);
    const stored = candidateRow(fixture.db, 'c1');
    expect(stored?.resume_problem).toBeNull();
    expect(stored?.resume_file_name).toBeNull();
  });

  it('accepts each allowed type by its bytes', async () => {
    fixture.write('resumes/cv.doc', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64)]));
    fixture.write('resumes/cv.docx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]));
    fixture.write('resumes/cv.rtf', '{\\rtf1\\ansi Ada}');
    fixture.write('resumes/cv.txt', 'Ada Lovelace\nAnalyst\n');
    fixture.write('resumes/binary.txt', Buffer.from([0x41, 0x00, 0x42]));
    fixture.write('resumes/zip.doc', Buffer.from('PK\x03\x04 not ole', 'latin1'));
    const rows = ['cv.doc', 'cv.docx', 'cv.rtf', 'cv.txt', 'binary.txt', 'zip.doc'].map(
      (name, index) => `r1,Backend,c${index},Person ${index},p${index}@example.com,,,resumes/${name},shortlisted,2026-11-01T10:00:00Z`,
    );
    const report = await importFile(fixture.write('types.csv', csv(...rows)));
    expect(report.rejected.map((entry) => [entry.line, entry.code, entry.rowKept])).toEqual([
      [6, 'resume_type', true],
      [7, 'resume_type', true],
    ]);
    expect(candidateRow(fixture.db, 'c4')?.resume_sha256).toBeNull();
    expect(candidateRow(fixture.db, 'c1')?.resume_content_type).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(candidateRow(fixture.db, 'c3')?.resume_content_type).toBe('text/plain');
  });
});
