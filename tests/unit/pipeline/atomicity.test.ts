import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile } from '../../../core/pipeline/import.js';
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
    candidates: fixture.db.prepare('SELECT external_id, state, state_changed_at FROM candidates ORDER BY id').all(),
    roles: fixture.db.prepare('SELECT external_id, title FROM roles ORDER BY id').all(),
    outbox: outboxRows(fixture.db),
    audit: fixture.db.prepare('SELECT count(*) AS n FROM audit_log').get(),
  };
}

describe('import atomicity', () => {
  it('rolls back every row when a write fails midway', async () => {
    const first = fixture.write('a.csv', csv(...rows(3000, 'shortlisted', '2026-11-01T10:00:00Z')));
    await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file: first, dataDir: fixture.dataDir });
    const before = snapshot();

    // A trigger fails the 2,500th row's update, after 2,499 rows have been written in the transaction.
    fixture.db.exec(`CREATE TEMP TRIGGER fail_midway BEFORE UPDATE ON main.candidates
      WHEN NEW.external_id = 'c2499' BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    const second = fixture.write(
      'b.csv',
      csv(...rows(3000, 'intro_requested', '2026-11-05T10:00:00Z'), 'r2,Designer,n1,New Person,new@example.com,,,,hired,2026-11-05T10:00:00Z'),
    );
    await expect(
      importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file: second, dataDir: fixture.dataDir }),
    ).rejects.toThrow('simulated write failure');

    expect(snapshot()).toEqual(before);
    expect(candidateRow(fixture.db, 'c0')?.state).toBe('shortlisted');
    expect(candidateRow(fixture.db, 'n1')).toBeUndefined();
    expect(fixture.db.inTransaction).toBe(false);
  });

  it('rolls back when a progress listener throws', async () => {
    const file = fixture.write('a.csv', csv(...rows(2500, 'shortlisted', '2026-11-01T10:00:00Z')));
    await expect(
      importPipelineFile(fixture.db, {
        clock: fixture.clock,
        clientId: fixture.clientId,
        file,
        dataDir: fixture.dataDir,
        onProgress: (progress) => {
          if (progress.rowsWritten >= 1000) throw new Error('listener failed');
        },
      }),
    ).rejects.toThrow('listener failed');
    expect(snapshot().candidates).toEqual([]);
    expect(snapshot().outbox).toEqual([]);
  });

  it('writes nothing when aborted', async () => {
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
          if (progress.phase === 'writing' && progress.rowsWritten >= 1000) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(snapshot().candidates).toEqual([]);
    expect(snapshot().roles).toEqual([]);
  });

  it('drops its staging table after a failure', async () => {
    const file = fixture.write('a.csv', csv(...rows(10, 'shortlisted', '2026-11-01T10:00:00Z')));
    const controller = new AbortController();
    controller.abort();
    await expect(
      importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(fixture.db.prepare("SELECT name FROM temp.sqlite_schema WHERE type = 'table'").all()).toEqual([]);
  });
});
