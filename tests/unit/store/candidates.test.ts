import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_STATES, type PipelineState } from '../../../shared/domain.js';
import {
  countCandidatesByState,
  getCandidate,
  getCandidateByExternalId,
  insertCandidate,
  listCandidates,
  setCandidateState,
  updateCandidateLink,
} from '../../../core/store/repo/candidates.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { upsertRole } from '../../../core/store/repo/roles.js';
import { openTempDatabase, steppingClock } from './helpers.js';

const ROW_COUNT = 20_000;
const clock = steppingClock('2026-01-01T00:00:00.000Z', 1);
let temp: ReturnType<typeof openTempDatabase>;
let roleId: number;
let otherRoleId: number;

// Candidate i is in state PIPELINE_STATES[i % 5]. Every 7th is linked in Ashby, every 100th has
// "Zoë" in the name, and every 1000th has no email.
function stateOf(index: number): PipelineState {
  return PIPELINE_STATES[index % PIPELINE_STATES.length]!;
}

beforeAll(() => {
  temp = openTempDatabase(clock);
  const clientId = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' }).id;
  roleId = upsertRole(temp.db, clock, { clientId, externalId: 'role-1', title: 'Engineer' }).id;
  otherRoleId = upsertRole(temp.db, clock, { clientId, externalId: 'role-2', title: 'Designer' }).id;

  temp.db.transaction(() => {
    for (let index = 0; index < ROW_COUNT; index += 1) {
      const candidate = insertCandidate(temp.db, clock, {
        clientId,
        roleId,
        externalId: `cand-${index}`,
        name: index % 100 === 0 ? `Zoë Fake ${index}` : `Person ${String(index).padStart(5, '0')}`,
        email: index % 1000 === 0 ? null : `person${index}@example.com`,
        state: stateOf(index),
      });
      if (index % 7 === 0) {
        updateCandidateLink(temp.db, clock, candidate.id, { ashbyStatus: 'linked', ashbyCandidateId: `ashby-${index}` });
      }
    }
    insertCandidate(temp.db, clock, { clientId, roleId: otherRoleId, externalId: 'x', name: 'Person 00001', state: 'hired' });
  })();
});

afterAll(() => {
  temp.cleanup();
});

describe('candidates repository', () => {
  it('pages through every row exactly once', () => {
    const seen = new Set<number>();
    let offset = 0;
    for (;;) {
      const page = listCandidates(temp.db, { roleId }, { offset, limit: 1000 });
      expect(page.total).toBe(ROW_COUNT);
      for (const candidate of page.items) seen.add(candidate.id);
      offset += page.items.length;
      if (page.items.length < 1000) break;
    }
    expect(seen.size).toBe(ROW_COUNT);
  });

  it('sorts by name and by recent change', () => {
    const byName = listCandidates(temp.db, { roleId }, { limit: 3 }).items.map((candidate) => candidate.name);
    expect(byName).toEqual(['Person 00001', 'Person 00002', 'Person 00003']);

    const recent = listCandidates(temp.db, { roleId }, { limit: 2, sort: 'recent' }).items;
    expect(recent[0]!.stateChangedAt >= recent[1]!.stateChangedAt).toBe(true);
  });

  it('filters by state', () => {
    const page = listCandidates(temp.db, { roleId, states: ['hired', 'archived'] }, { limit: 1000 });
    expect(page.total).toBe((ROW_COUNT / 5) * 2);
    for (const candidate of page.items) expect(['hired', 'archived']).toContain(candidate.state);
  });

  it('filters by Ashby status', () => {
    const page = listCandidates(temp.db, { roleId, ashbyStatuses: ['linked'] });
    expect(page.total).toBe(Math.ceil(ROW_COUNT / 7));
    expect(page.items.every((candidate) => candidate.ashbyStatus === 'linked')).toBe(true);
  });

  it('searches name and email', () => {
    expect(listCandidates(temp.db, { roleId, search: 'zoë' }).total).toBe(ROW_COUNT / 100);
    expect(listCandidates(temp.db, { roleId, search: 'PERSON12345@example' }).items.map((c) => c.externalId)).toEqual([
      'cand-12345',
    ]);
    expect(listCandidates(temp.db, { roleId, search: '%' }).total).toBe(0);
    expect(listCandidates(temp.db, { roleId, search: '  ' }).total).toBe(ROW_COUNT);
  });

  it('combines filters', () => {
    const page = listCandidates(temp.db, { roleId, search: 'Zoë', states: ['shortlisted'], ashbyStatuses: ['linked'] });
    // Zoë rows are multiples of 100 (all shortlisted, since 100 % 5 = 0); linked ones are multiples of 700.
    expect(page.total).toBe(Math.ceil(ROW_COUNT / 700));
  });

  it('counts per state ignoring the state filter', () => {
    const counts = countCandidatesByState(temp.db, { roleId, states: ['hired'] });
    for (const state of PIPELINE_STATES) expect(counts[state]).toBe(ROW_COUNT / 5);

    const zoeCounts = countCandidatesByState(temp.db, { roleId, search: 'Zoë' });
    expect(zoeCounts.shortlisted).toBe(ROW_COUNT / 100);
    expect(zoeCounts.hired).toBe(0);
  });

  it('serves a filtered page of 20,000 rows quickly', () => {
    const started = performance.now();
    const page = listCandidates(temp.db, { roleId, search: 'person1', states: ['intro_requested'] }, { offset: 200, limit: 100 });
    countCandidatesByState(temp.db, { roleId, search: 'person1' });
    const elapsed = performance.now() - started;

    expect(page.items).toHaveLength(100);
    // A generous bound that still catches a query that reads the table row by row from JavaScript.
    expect(elapsed).toBeLessThan(500);
  });

  it('updates link fields and state', () => {
    const candidate = getCandidateByExternalId(temp.db, roleId, 'cand-1')!;
    const linked = updateCandidateLink(temp.db, clock, candidate.id, {
      ashbyStatus: 'linked',
      ashbyCandidateId: 'ashby-c',
      ashbyApplicationId: 'ashby-a',
    });
    expect(linked.ashbyCandidateId).toBe('ashby-c');
    expect(linked.ashbyApplicationId).toBe('ashby-a');

    const attention = updateCandidateLink(temp.db, clock, candidate.id, {
      ashbyStatus: 'needs_attention',
      ashbyStatusReason: 'stage deleted in Ashby',
    });
    expect(attention.ashbyStatusReason).toBe('stage deleted in Ashby');
    expect(attention.ashbyCandidateId).toBe('ashby-c');

    const moved = setCandidateState(temp.db, clock, candidate.id, 'hired');
    expect(moved.state).toBe('hired');
    expect(moved.stateChangedAt > candidate.stateChangedAt).toBe(true);
    expect(getCandidate(temp.db, candidate.id)).toEqual(moved);
  });

  it('rejects an invalid page size', () => {
    expect(() => listCandidates(temp.db, { roleId }, { limit: 0 })).toThrow(RangeError);
    expect(() => listCandidates(temp.db, { roleId }, { limit: 5000 })).toThrow(RangeError);
    expect(() => listCandidates(temp.db, { roleId }, { offset: -1 })).toThrow(RangeError);
  });
});
