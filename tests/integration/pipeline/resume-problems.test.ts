// From a pipeline export to the sandbox: rows whose resume file is empty or of a type Ashby does
// not take are imported without a resume, pushed, and parked with the reason after the candidate
// and application exist. A re-import with fixed files lets a retry upload the resume alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import {
  createHarness,
  jobByTitle,
  outboxItem,
  snapshot,
  type Harness,
  type TenantHandle,
} from '../engine/harness.js';

const HEADER = 'role_id,role_title,candidate_id,name,email,linkedin_url,phone,resume_path,state,state_changed_at';
const AT = '2026-11-20T10:00:00Z';

let harness: Harness;
let tenant: TenantHandle;
let exportDir: string;

beforeEach(async () => {
  harness = await createHarness();
  tenant = await harness.tenant();
  exportDir = path.join(harness.dataDir, 'export');
  mkdirSync(path.join(exportDir, 'resumes'), { recursive: true });
});

afterEach(async () => {
  await harness.close();
});

function pdf(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write('%PDF-1.4\n', 'latin1');
  return bytes;
}

function writeExport(resumes: { big: string; empty: string; exe: string }): string {
  const rows = [
    `r1,Software Engineer,c1,Big Resume,big.resume@example.com,,,${resumes.big},intro_requested,${AT}`,
    `r1,Software Engineer,c2,Empty Resume,empty.resume@example.com,,,${resumes.empty},intro_requested,${AT}`,
    `r1,Software Engineer,c3,Exe Resume,exe.resume@example.com,,,${resumes.exe},intro_requested,${AT}`,
  ];
  const file = path.join(exportDir, 'pipeline.csv');
  writeFileSync(file, `${HEADER}\n${rows.join('\n')}\n`);
  return file;
}

function importExport(file: string) {
  return importPipelineFile(harness.db, {
    clock: systemClock,
    clientId: tenant.clientId,
    file,
    dataDir: harness.dataDir,
  });
}

function pushedItems(): Map<string, number> {
  const rows = harness.db
    .prepare(
      `SELECT o.id, c.external_id FROM outbox o JOIN candidates c ON c.id = o.candidate_id
       WHERE o.status != 'discarded' ORDER BY o.id`,
    )
    .all() as { id: number; external_id: string }[];
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

function resumeOf(state: Awaited<ReturnType<typeof snapshot>>, name: string): string | null {
  const candidate = state.candidates.find((entry) => entry.name === name);
  if (candidate === undefined) throw new Error(`no candidate named ${name} in the sandbox`);
  return candidate.resumeFileHandle?.name ?? null;
}

describe('resume problems from import to Ashby', () => {
  it('creates everyone, parks bad resumes, retries them alone', async () => {
    writeFileSync(path.join(exportDir, 'resumes/big.pdf'), pdf(6 * 1024 * 1024));
    writeFileSync(path.join(exportDir, 'resumes/resume.pdf'), Buffer.alloc(0));
    writeFileSync(path.join(exportDir, 'resumes/cv.exe'), 'MZ not a resume');
    const file = writeExport({ big: 'resumes/big.pdf', empty: 'resumes/resume.pdf', exe: 'resumes/cv.exe' });

    const imported = await importExport(file);
    expect(imported.candidatesCreated).toBe(3);
    expect(imported.rowsRejected).toBe(0);
    expect(imported.rowsWithoutResume).toBe(2);
    expect(imported.rejected.map((entry) => [entry.line, entry.code, entry.rowKept])).toEqual([
      [3, 'resume_empty', true],
      [4, 'resume_type', true],
    ]);

    const job = await jobByTitle(tenant.ashby);
    const role = harness.db.prepare("SELECT id FROM roles WHERE external_id = 'r1'").get() as { id: number };
    const engine = harness.engine();
    await engine.linkRole(role.id, job.id);
    await engine.runUntilIdle();
    await engine.startBulkPush(role.id);
    await engine.runUntilIdle();

    const items = pushedItems();
    expect([...items.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
    const bigItem = items.get('c1') ?? -1;
    const emptyItem = items.get('c2') ?? -1;
    const exeItem = items.get('c3') ?? -1;
    expect(outboxItem(harness.db, bigItem).status).toBe('done');
    const emptyParked = outboxItem(harness.db, emptyItem);
    expect(emptyParked.status).toBe('needs_attention');
    expect(emptyParked.reason_code).toBe('resume_failed');
    expect(emptyParked.reason).toContain('resume file is empty (0 bytes): resumes/resume.pdf');
    expect(emptyParked.reason).toContain('import the export again');
    const exeParked = outboxItem(harness.db, exeItem);
    expect(exeParked.status).toBe('needs_attention');
    expect(exeParked.reason_code).toBe('resume_failed');
    expect(exeParked.reason).toContain('resume type ".exe" is not accepted');

    let state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(3);
    expect(state.applications).toHaveLength(3);
    expect(resumeOf(state, 'Big Resume')).toBe('big.pdf');
    expect(resumeOf(state, 'Empty Resume')).toBeNull();
    expect(resumeOf(state, 'Exe Resume')).toBeNull();

    // Retrying before the files are fixed fails the resume step again and creates nothing.
    expect(engine.retryItem(emptyItem)).toBe(true);
    await engine.runUntilIdle();
    expect(outboxItem(harness.db, emptyItem).status).toBe('needs_attention');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(3);

    // The recruiter fixes both files and imports the export again.
    writeFileSync(path.join(exportDir, 'resumes/resume.pdf'), pdf(4096));
    writeFileSync(path.join(exportDir, 'resumes/cv.pdf'), pdf(2048));
    const fixed = await importExport(writeExport({ big: 'resumes/big.pdf', empty: 'resumes/resume.pdf', exe: 'resumes/cv.pdf' }));
    expect(fixed.rejected).toEqual([]);
    expect(fixed.candidatesUpdated).toBe(2);
    expect(fixed.eventsFired).toBe(0);
    const problems = harness.db.prepare('SELECT count(*) AS n FROM candidates WHERE resume_problem IS NOT NULL').get();
    expect(problems).toEqual({ n: 0 });

    expect(engine.retryItem(emptyItem)).toBe(true);
    expect(engine.retryItem(exeItem)).toBe(true);
    await engine.runUntilIdle();

    expect(outboxItem(harness.db, emptyItem).status).toBe('done');
    expect(outboxItem(harness.db, exeItem).status).toBe('done');
    state = await snapshot(harness.sandbox, tenant.name);
    expect(state.candidates).toHaveLength(3);
    expect(state.applications).toHaveLength(3);
    expect(resumeOf(state, 'Empty Resume')).toBe('resume.pdf');
    expect(resumeOf(state, 'Exe Resume')).toBe('cv.pdf');
    const calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.create']).toBe(3);
    expect(calls['application.create']).toBe(3);
    expect(calls['candidate.uploadResume']).toBe(3);
  });
});
