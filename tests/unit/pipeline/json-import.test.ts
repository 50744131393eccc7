import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { candidateRow, createFixture, outboxRows, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(() => {
  fixture = createFixture();
});
afterEach(() => fixture.cleanup());

function exportJson(roles: unknown[]): string {
  return JSON.stringify({ format: 'jackandjill.pipeline/v1', exportedAt: '2026-12-01T08:00:00Z', roles });
}

const ada = (state: string, at: string) => ({ id: 'c1', name: 'Ada', email: 'ada@example.com', state, stateChangedAt: at });

async function importText(name: string, text: string) {
  const file = fixture.write(name, text);
  return importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir });
}

describe('JSON import', () => {
  it('reads a file with a BOM', async () => {
    const report = await importText('bom.json', `\uFEFF${exportJson([{ id: 'r1', title: 'Backend', candidates: [ada('hired', '2026-11-01T10:00:00Z')] }])}`);
    expect(report.rejected).toEqual([]);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('hired');
  });

  it('reports a stale row by its path', async () => {
    await importText('new.json', exportJson([{ id: 'r1', title: 'Backend', candidates: [ada('hired', '2026-11-05T10:00:00Z')] }]));
    const report = await importText('old.json', exportJson([{ id: 'r1', title: 'Backend', candidates: [ada('archived', '2026-11-01T10:00:00Z')] }]));
    expect(report.stale).toEqual([
      expect.objectContaining({ path: 'roles[0].candidates[0]', field: 'stateChangedAt', storedState: 'hired' }),
    ]);
    expect(report.stale[0]?.line).toBeUndefined();
    expect(outboxRows(fixture.db).map((row) => row.event)).toEqual(['hire']);
  });

  it('creates a role without candidates', async () => {
    const report = await importText('empty.json', exportJson([{ id: 'r9', title: 'Head of Sales', candidates: [] }]));
    expect(report.rolesCreated).toBe(1);
    expect(report.rows).toBe(0);
    expect(fixture.db.prepare('SELECT external_id, title FROM roles').all()).toEqual([{ external_id: 'r9', title: 'Head of Sales' }]);
  });

  it('rejects a role listed twice with two titles', async () => {
    const report = await importText(
      'twice.json',
      exportJson([
        { id: 'r1', title: 'Backend', candidates: [ada('shortlisted', '2026-11-01T10:00:00Z')] },
        { id: 'r1', title: 'Frontend', candidates: [{ ...ada('shortlisted', '2026-11-01T10:00:00Z'), id: 'c2' }] },
      ]),
    );
    expect(report.rejected).toEqual([
      expect.objectContaining({ path: 'roles[1].candidates[0]', field: 'role.title', code: 'role_title_conflict' }),
    ]);
    expect(report.candidatesCreated).toBe(1);
  });

  it('rejects candidates of a role without an id', async () => {
    const report = await importText('noid.json', exportJson([{ title: 'Backend', candidates: [ada('shortlisted', '2026-11-01T10:00:00Z')] }]));
    expect(report.rejected.map((entry) => [entry.path, entry.field, entry.code])).toEqual([
      ['roles[0]', 'id', 'invalid_role'],
      ['roles[0].candidates[0]', 'role.id', 'missing_field'],
    ]);
    expect(report.rowsRejected).toBe(1);
    expect(fixture.db.prepare('SELECT count(*) AS n FROM roles').get()).toEqual({ n: 0 });
  });
});
