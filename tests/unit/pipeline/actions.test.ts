import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPipelineAction, PipelineActionError } from '../../../core/pipeline/actions.js';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { queryAuditPage } from '../../../core/audit/query.js';
import { candidateRow, createFixture, csv, outboxRows, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
let candidateId: number;
const ROW = 'r1,Backend,c1,Ada Lovelace,ada@example.com,,,,shortlisted,2026-11-01T10:00:00Z';

beforeEach(async () => {
  fixture = createFixture();
  const file = fixture.write('a.csv', csv(ROW));
  await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir });
  candidateId = candidateRow(fixture.db, 'c1')?.id ?? -1;
});
afterEach(() => fixture.cleanup());

describe('applyPipelineAction', () => {
  it('changes state and fires the event', () => {
    const result = applyPipelineAction(fixture.db, fixture.clock, { candidateId, action: 'request_intro', actor: 'admin' });
    expect(result.changed).toBe(true);
    expect(result.previousState).toBe('shortlisted');
    expect(result.state).toBe('intro_requested');

    const events = outboxRows(fixture.db);
    expect(events.map((row) => [row.event, row.origin])).toEqual([
      ['shortlist', 'import'],
      ['request_intro', 'action'],
    ]);
    expect(result.outboxId).toBe(events[1]?.id);
    const stored = candidateRow(fixture.db, 'c1');
    expect(stored?.state).toBe('intro_requested');
    expect(stored?.state_changed_at).toBe(new Date(fixture.clock.now()).toISOString());
  });

  it('fires each action event', () => {
    const actions = ['complete_intro', 'archive', 'hire', 'shortlist'] as const;
    for (const action of actions) applyPipelineAction(fixture.db, fixture.clock, { candidateId, action });
    expect(outboxRows(fixture.db).map((row) => row.event)).toEqual(['shortlist', ...actions]);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('shortlisted');
  });

  it('fires nothing for the current state', () => {
    const result = applyPipelineAction(fixture.db, fixture.clock, { candidateId, action: 'shortlist' });
    expect(result.changed).toBe(false);
    expect(result.outboxId).toBeNull();
    expect(outboxRows(fixture.db)).toHaveLength(1);
  });

  it('writes an audit entry for each action', () => {
    applyPipelineAction(fixture.db, fixture.clock, { candidateId, action: 'hire', actor: 'admin' });
    applyPipelineAction(fixture.db, fixture.clock, { candidateId, action: 'hire', actor: 'cli' });
    const entries = queryAuditPage(fixture.db, { candidateId }, { order: 'oldest_first' }).entries;
    expect(entries.map((entry) => [entry.action, entry.outcome, entry.actor, entry.event])).toEqual([
      ['pipeline.action', 'state_changed', 'admin', 'hire'],
      ['pipeline.action', 'unchanged', 'cli', 'hire'],
    ]);
    expect(entries[0]?.outboxId).toBe(outboxRows(fixture.db)[1]?.id);
    expect(entries[0]?.message).toBe('Ada Lovelace moved from shortlisted to hired; hire queued.');
  });

  it('is not undone by an older import', async () => {
    applyPipelineAction(fixture.db, fixture.clock, { candidateId, action: 'archive' });
    const file = fixture.write('b.csv', csv(ROW));
    const report = await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir });
    expect(report.stale).toHaveLength(1);
    expect(report.eventsFired).toBe(0);
    expect(candidateRow(fixture.db, 'c1')?.state).toBe('archived');
  });

  it('rejects an unknown candidate', () => {
    expect(() => applyPipelineAction(fixture.db, fixture.clock, { candidateId: 9999, action: 'hire' })).toThrow(PipelineActionError);
    expect(() => applyPipelineAction(fixture.db, fixture.clock, { candidateId: 9999, action: 'hire' })).toThrow('candidate 9999 not found');
  });

  it('rejects an unknown action', () => {
    const input = { candidateId, action: 'promote' } as unknown as Parameters<typeof applyPipelineAction>[2];
    expect(() => applyPipelineAction(fixture.db, fixture.clock, input)).toThrow(/unknown pipeline action "promote"/);
    expect(outboxRows(fixture.db)).toHaveLength(1);
  });
});
