import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log/logger.js';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import {
  finishInterruptedImports,
  IMPORT_HEARTBEAT_TIMEOUT_MS,
  openImport,
} from '../../../core/pipeline/journal.js';
import { ImportStage } from '../../../core/pipeline/stage.js';
import { candidateRow, createFixture, csv, outboxRows, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

function rows(count: number, state: string, at: string): string[] {
  return Array.from(
    { length: count },
    (_, index) => `r1,Backend,c${index},Person ${index},p${index}@example.com,,,,${state},${at}`,
  );
}

function snapshot() {
  return {
    candidates: fixture.db
      .prepare('SELECT external_id, state, state_changed_at FROM candidates ORDER BY id')
      .all(),
    roles: fixture.db.prepare('SELECT external_id, title FROM roles ORDER BY id').all(),
    outbox: outboxRows(fixture.db),
    audit: fixture.db.prepare('SELECT count(*) AS n FROM audit_log').get(),
  };
}

function journal() {
  return {
    imports: fixture.db.prepare('SELECT id, status FROM imports ORDER BY id').all() as {
      id: number;
      status: string;
    }[],
    rows: (fixture.db.prepare('SELECT count(*) AS n FROM import_rows').get() as { n: number }).n,
  };
}

function importAudit(): { message: string }[] {
  return fixture.db
    .prepare("SELECT message FROM audit_log WHERE action = 'pipeline.import' ORDER BY id")
    .all() as { message: string }[];
}

/** Runs what a process that opens the data folder later runs, once the journal's heartbeat has expired. */
async function restart(): Promise<number> {
  fixture.clock.advance(IMPORT_HEARTBEAT_TIMEOUT_MS + 1000);
  return finishInterruptedImports(fixture.db, fixture.clock, createLogger('import-test'));
}

describe('import commit and journal', () => {
  it('finishes a failed write after restart', async () => {
    const first = fixture.write('a.csv', csv(...rows(3000, 'shortlisted', '2026-11-01T10:00:00Z')));
    await importPipelineFile(fixture.db, {
      clock: fixture.clock,
      clientId: fixture.clientId,
      file: first,
      dataDir: fixture.dataDir,
    });
    expect(outboxRows(fixture.db)).toHaveLength(3000);

    // A trigger fails the 2,500th row's update, after earlier turns have committed theirs.
    fixture.db.exec(`CREATE TEMP TRIGGER fail_midway BEFORE UPDATE ON main.candidates
      WHEN NEW.external_id = 'c2499' BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    const second = fixture.write(
      'b.csv',
      csv(
        ...rows(3000, 'intro_requested', '2026-11-05T10:00:00Z'),
        'r2,Designer,n1,New Person,new@example.com,,,,hired,2026-11-05T10:00:00Z',
      ),
    );
    await expect(
      importPipelineFile(fixture.db, {
        clock: fixture.clock,
        clientId: fixture.clientId,
        file: second,
        dataDir: fixture.dataDir,
      }),
    ).rejects.toThrow('simulated write failure');
    expect(fixture.db.inTransaction).toBe(false);

    // Committed: the roles exist, earlier rows are written, the rest waits in the journal.
    expect(candidateRow(fixture.db, 'c0')?.state).toBe('intro_requested');
    expect(candidateRow(fixture.db, 'c2499')?.state).toBe('shortlisted');
    expect(candidateRow(fixture.db, 'n1')).toBeUndefined();
    expect(journal().imports).toEqual([{ id: expect.any(Number), status: 'writing' }]);
    expect(journal().rows).toBeGreaterThan(0);
    expect(importAudit()).toHaveLength(1);

    // The next start still fails on the same row, and keeps the rest for later.
    expect(await restart()).toBe(0);
    expect(journal().imports).toHaveLength(1);

    fixture.db.exec('DROP TRIGGER temp.fail_midway');
    expect(await restart()).toBe(1);
    expect(journal()).toEqual({ imports: [], rows: 0 });
    const states = fixture.db
      .prepare('SELECT state, count(*) AS n FROM candidates GROUP BY state ORDER BY state')
      .all();
    expect(states).toEqual([
      { state: 'hired', n: 1 },
      { state: 'intro_requested', n: 3000 },
    ]);
    // 3,000 shortlist events, then one per state change and one for the new candidate: none twice.
    const events = outboxRows(fixture.db);
    expect(events).toHaveLength(6001);
    expect(new Set(events.map((event) => `${event.candidate_id}:${event.event}`)).size).toBe(6001);
    const audit = importAudit();
    expect(audit).toHaveLength(2);
    expect(audit[1]?.message).toBe(
      'Imported b.csv: 3001 rows, 1 candidates created, 3000 updated, 0 unchanged, 3001 events queued; finished after the console restarted.',
    );
  });

  it('throwing listener leaves rest journaled', async () => {
    const file = fixture.write('a.csv', csv(...rows(2500, 'shortlisted', '2026-11-01T10:00:00Z')));
    await expect(
      importPipelineFile(fixture.db, {
        clock: fixture.clock,
        clientId: fixture.clientId,
        file,
        dataDir: fixture.dataDir,
        onProgress: (progress) => {
          if (progress.rowsWritten > 0) throw new Error('listener failed');
        },
      }),
    ).rejects.toThrow('listener failed');
    expect(snapshot().candidates.length).toBeLessThan(2500);
    expect(await restart()).toBe(1);
    expect(snapshot().candidates).toHaveLength(2500);
    expect(snapshot().outbox).toHaveLength(2500);
  });

  it('abort while reading writes nothing', async () => {
    const file = fixture.write('a.csv', csv(...rows(2500, 'shortlisted', '2026-11-01T10:00:00Z')));
    const controller = new AbortController();
    await expect(
      importPipelineFile(fixture.db, {
        clock: fixture.clock,
        clientId: fixture.clientId,
        file,
        dataDir: fixture.dataDir,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.phase === 'reading' && progress.rowsRead >= 1000) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(snapshot().candidates).toEqual([]);
    expect(snapshot().roles).toEqual([]);
    expect(journal()).toEqual({ imports: [], rows: 0 });
  });

  it('abort after commit still finishes', async () => {
    const file = fixture.write('a.csv', csv(...rows(2500, 'shortlisted', '2026-11-01T10:00:00Z')));
    const controller = new AbortController();
    const report = await importPipelineFile(fixture.db, {
      clock: fixture.clock,
      clientId: fixture.clientId,
      file,
      dataDir: fixture.dataDir,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'writing') controller.abort();
      },
    });
    expect(report.candidatesCreated).toBe(2500);
    expect(snapshot().candidates).toHaveLength(2500);
    expect(journal()).toEqual({ imports: [], rows: 0 });
  });

  it('failure drops staged rows', async () => {
    const file = fixture.write('a.csv', csv(...rows(10, 'shortlisted', '2026-11-01T10:00:00Z')));
    const controller = new AbortController();
    controller.abort();
    await expect(
      importPipelineFile(fixture.db, {
        clock: fixture.clock,
        clientId: fixture.clientId,
        file,
        dataDir: fixture.dataDir,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(journal()).toEqual({ imports: [], rows: 0 });
    expect(
      fixture.db.prepare("SELECT name FROM temp.sqlite_schema WHERE type = 'table'").all(),
    ).toEqual([]);
  });

  it('drops uncommitted import, spares live one', async () => {
    const stopped = openImport(fixture.db, fixture.clock, {
      clientId: fixture.clientId,
      fileName: 'a.csv',
      actor: 'import',
      runId: null,
    });
    const stage = ImportStage.forImport(fixture.db, stopped);
    const row = {
      roleId: 'r1',
      roleTitle: 'Backend',
      candidateId: 'c1',
      name: 'Person 1',
      email: 'p1@example.com',
      emailKey: 'p1@example.com',
      linkedinUrl: null,
      linkedinSlug: null,
      phone: null,
      resumePath: null,
      state: 'shortlisted' as const,
      stateChangedAt: '2026-11-01T10:00:00.000Z',
    };
    stage.add({ line: 2 }, row, null);
    stage.flush();
    fixture.clock.advance(IMPORT_HEARTBEAT_TIMEOUT_MS + 1000);
    // Another process is reading its file right now: its heartbeat is recent.
    const live = openImport(fixture.db, fixture.clock, {
      clientId: fixture.clientId,
      fileName: 'b.csv',
      actor: 'import',
      runId: null,
    });

    expect(
      await finishInterruptedImports(fixture.db, fixture.clock, createLogger('import-test')),
    ).toBe(0);
    expect(journal()).toEqual({ imports: [{ id: live, status: 'reading' }], rows: 0 });
    expect(snapshot().candidates).toEqual([]);
    expect(snapshot().roles).toEqual([]);
  });
});
