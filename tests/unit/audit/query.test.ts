import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  COUNT_LIMIT,
  queryAuditPage,
  SCAN_COUNT_LIMIT,
  type AuditEntryView,
} from '../../../core/audit/query.js';
import type { AuditFilter } from '../../../core/audit/filter.js';
import {
  SPARSE_CANDIDATE_MATCH_LIMIT,
  SPARSE_MESSAGE_MATCH_LIMIT,
} from '../../../core/audit/text-search.js';
import type { LifecycleEvent } from '../../../shared/domain.js';
import {
  appendEntries,
  fixedClock,
  openAuditWorld,
  steppingClock,
  type AuditWorld,
} from './helpers.js';

let world: AuditWorld;

beforeEach(() => {
  world = openAuditWorld();
});

afterEach(() => {
  world.cleanup();
});

interface Expected {
  id: number;
  at: string;
  clientId: number;
  roleId: number;
  candidateId: number;
  event: LifecycleEvent;
  outcome: string;
  message: string;
}

const EVENTS: LifecycleEvent[] = [
  'shortlist',
  'request_intro',
  'complete_intro',
  'archive',
  'hire',
];

// 60 entries one minute apart from 2026-01-01: candidates rotate Zoë, Misaki, Jean; every fourth
// failed; messages name the candidate in some entries only.
function seed(): Expected[] {
  const clock = steppingClock('2026-01-01T00:00:00.000Z');
  const people = [
    { candidateId: world.zoe, clientId: world.clientA, roleId: world.roleA, name: 'Zoë Ångström' },
    { candidateId: world.misaki, clientId: world.clientA, roleId: world.roleA, name: '田中 美咲' },
    { candidateId: world.jean, clientId: world.clientB, roleId: world.roleB, name: 'Jean' },
  ];
  const expected: Expected[] = [];
  for (let index = 0; index < 60; index += 1) {
    const person = people[index % 3]!;
    const event = EVENTS[index % 5]!;
    const outcome = index % 4 === 0 ? 'failed' : 'ok';
    const message =
      index % 6 === 0
        ? `Created candidate ${person.name} at stage Reached Out`
        : `Moved application ${index}`;
    const [id] = appendEntries(world.db, clock, [
      {
        clientId: person.clientId,
        roleId: person.roleId,
        candidateId: person.candidateId,
        event,
        action: 'push.step',
        outcome,
        message,
      },
    ]);
    expected.push({
      id: id!,
      at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + index * 60_000).toISOString(),
      clientId: person.clientId,
      roleId: person.roleId,
      candidateId: person.candidateId,
      event,
      outcome,
      message,
    });
  }
  return expected;
}

function newestFirstIds(rows: Expected[]): number[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.at !== b.at) return a.at < b.at ? 1 : -1;
    return b.id - a.id;
  });
  return sorted.map((row) => row.id);
}

function readAll(filter: AuditFilter, limit = 500): AuditEntryView[] {
  const entries: AuditEntryView[] = [];
  let after = null;
  for (;;) {
    const page = queryAuditPage(world.db, filter, { limit, after });
    entries.push(...page.entries);
    if (!page.nextCursor) return entries;
    after = page.nextCursor;
  }
}

describe('queryAuditPage filters', () => {
  it('matches each structured filter exactly', () => {
    const rows = seed();
    const cases: [AuditFilter, (row: Expected) => boolean][] = [
      [{}, () => true],
      [{ clientId: world.clientA }, (row) => row.clientId === world.clientA],
      [{ clientId: world.clientB }, (row) => row.clientId === world.clientB],
      [{ roleId: world.roleB }, (row) => row.roleId === world.roleB],
      [{ candidateId: world.misaki }, (row) => row.candidateId === world.misaki],
      [{ event: 'archive' }, (row) => row.event === 'archive'],
      [{ outcome: 'failed' }, (row) => row.outcome === 'failed'],
      [
        { clientId: world.clientA, outcome: 'failed', event: 'shortlist' },
        (row) =>
          row.clientId === world.clientA && row.outcome === 'failed' && row.event === 'shortlist',
      ],
    ];
    for (const [filter, predicate] of cases) {
      const ids = readAll(filter).map((entry) => entry.id);
      expect(ids, JSON.stringify(filter)).toEqual(newestFirstIds(rows.filter(predicate)));
    }
  });

  it('includes from and excludes to', () => {
    const rows = seed();
    const from = '2026-01-01T00:10:00.000Z';
    const to = '2026-01-01T00:20:00.000Z';
    const ids = readAll({ from, to }).map((entry) => entry.id);

    expect(ids).toEqual(newestFirstIds(rows.filter((row) => row.at >= from && row.at < to)));
    expect(ids).toHaveLength(10);
  });

  it('compares date bounds with offsets as instants', () => {
    const rows = seed();
    // 01:10+01:00 is 00:10Z; compared as text it would select nothing.
    const ids = readAll({ from: '2026-01-01T01:10:00+01:00', to: '2026-01-01T01:15:00+01:00' }).map(
      (e) => e.id,
    );

    expect(ids).toEqual(
      newestFirstIds(
        rows.filter(
          (row) => row.at >= '2026-01-01T00:10:00.000Z' && row.at < '2026-01-01T00:15:00.000Z',
        ),
      ),
    );
  });

  it('joins client, role and candidate names', () => {
    seed();
    const [entry] = queryAuditPage(world.db, { candidateId: world.zoe }, { limit: 1 }).entries;

    expect(entry?.clientName).toBe('Acme Fake');
    expect(entry?.roleTitle).toBe('Backend Engineer');
    expect(entry?.candidateName).toBe('Zoë Ångström');
    expect(entry?.candidateEmail).toBe('zoe.angstrom@example.com');
    expect(entry?.candidateLinkedinUrl).toBe('https://www.linkedin.com/in/zoe-angstrom');
  });

  it('rejects an invalid filter', () => {
    expect(() => queryAuditPage(world.db, { clientId: -1 })).toThrow(ZodError);
    expect(() => queryAuditPage(world.db, { from: 'yesterday' })).toThrow(ZodError);
    expect(() => queryAuditPage(world.db, { unknown: 1 } as AuditFilter)).toThrow(ZodError);
    expect(() => queryAuditPage(world.db, {}, { limit: 0 })).toThrow(ZodError);
  });
});

describe('queryAuditPage free text', () => {
  it('finds message text ignoring case and accents', () => {
    const rows = seed();
    const expected = newestFirstIds(
      rows.filter((row) => row.message.includes('Zoë Ångström') || row.candidateId === world.zoe),
    );

    for (const text of ['zoë ångström', 'ZOE ANGSTROM', 'angstrom']) {
      const page = queryAuditPage(world.db, { text }, { limit: 500 });
      expect(page.textPlan, text).toBe('sparse');
      expect(
        page.entries.map((entry) => entry.id),
        text,
      ).toEqual(expected);
    }
  });

  it('finds entries by candidate email and LinkedIn', () => {
    const rows = seed();
    const expected = newestFirstIds(rows.filter((row) => row.candidateId === world.jean));

    expect(readAll({ text: 'jj@example.org' }).map((entry) => entry.id)).toEqual(expected);
    expect(readAll({ text: 'in/jj-oneil' }).map((entry) => entry.id)).toEqual(expected);
  });

  it('finds ASCII names from accented input', () => {
    const rows = seed();
    const expected = newestFirstIds(rows.filter((row) => row.candidateId === world.jean));

    // Jean's stored name is plain ASCII; the accented needle folds to "o'neil".
    expect(readAll({ text: "Ó'Neil" }).map((entry) => entry.id)).toEqual(expected);
  });

  it('finds CJK names in messages and candidates', () => {
    const rows = seed();
    const expected = newestFirstIds(rows.filter((row) => row.candidateId === world.misaki));

    // Two CJK characters are below the trigram length, so this also runs the scanning plan.
    const short = queryAuditPage(world.db, { text: '美咲' }, { limit: 500 });
    expect(short.textPlan).toBe('scan');
    expect(short.entries.map((entry) => entry.id)).toEqual(expected);

    const full = queryAuditPage(world.db, { text: '田中 美咲' }, { limit: 500 });
    expect(full.textPlan).toBe('sparse');
    expect(full.entries.map((entry) => entry.id)).toEqual(expected);
  });

  it('keeps kana voicing marks in both plans', () => {
    const [id] = appendEntries(world.db, steppingClock('2026-05-01T00:00:00.000Z'), [
      { action: 'decision', outcome: 'ok', message: 'ガイド を送信しました' },
    ]);

    for (const text of ['ガイド', 'ガイ']) {
      expect(
        queryAuditPage(world.db, { text }).entries.map((entry) => entry.id),
        text,
      ).toEqual([id]);
    }
    // カ is a different letter from ガ, so neither the trigram nor the scanning plan matches it.
    for (const text of ['カイド', 'カイ']) {
      expect(queryAuditPage(world.db, { text }).entries, text).toEqual([]);
    }
  });

  it('combines text with the other filters', () => {
    const rows = seed();
    const ids = readAll({ text: 'Reached Out', outcome: 'failed' }).map((entry) => entry.id);

    expect(ids).toEqual(
      newestFirstIds(
        rows.filter((row) => row.message.includes('Reached Out') && row.outcome === 'failed'),
      ),
    );
    expect(ids.length).toBeGreaterThan(0);
  });

  it('treats LIKE and FTS syntax as plain text', () => {
    seed();
    for (const text of ['100%', 'a_b', '"quoted', 'NEAR(', 'stage*']) {
      expect(queryAuditPage(world.db, { text }).entries, text).toEqual([]);
    }
  });

  it('scans when many candidates match', () => {
    const insert = world.db.prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, state, state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'shortlisted', '2026-01-01', '2026-01-01', '2026-01-01')`,
    );
    const ids = world.db.transaction(() =>
      Array.from({ length: SPARSE_CANDIDATE_MATCH_LIMIT + 5 }, (_, index) =>
        Number(
          insert.run(world.clientA, world.roleA, `many-${index}`, `Ålex Common ${index}`)
            .lastInsertRowid,
        ),
      ),
    )();
    const clock = steppingClock('2026-02-01T00:00:00.000Z');
    const expected = appendEntries(
      world.db,
      clock,
      [ids[0]!, ids[500]!, ids.at(-1)!].map((candidateId) => ({
        candidateId,
        action: 'decision',
        outcome: 'ok',
      })),
    );
    appendEntries(world.db, clock, [{ candidateId: world.zoe, action: 'decision', outcome: 'ok' }]);

    const page = queryAuditPage(world.db, { text: 'alex common' });

    expect(page.textPlan).toBe('scan');
    expect(page.entries.map((entry) => entry.id)).toEqual([...expected].reverse());
  });

  it('scans for a common term with the same results', () => {
    const clock = steppingClock('2026-02-01T00:00:00.000Z', 1000);
    const insert = world.db.prepare(
      `INSERT INTO audit_log (at, client_id, action, outcome, message) VALUES (?, ?, 'push.step', ?, ?)`,
    );
    // Every second entry matches, so the matches exceed the sparse plan's limit.
    const total = 2 * SPARSE_MESSAGE_MATCH_LIMIT + 100;
    world.db.transaction(() => {
      for (let index = 0; index < total; index += 1) {
        const message = index % 2 === 0 ? `Moved to Reached Out (${index})` : `Skipped (${index})`;
        insert.run(
          new Date(clock.now()).toISOString(),
          world.clientA,
          index % 10 === 0 ? 'failed' : 'ok',
          message,
        );
      }
    })();

    const first = queryAuditPage(
      world.db,
      { text: 'reached out' },
      { limit: 50, includeCount: true },
    );
    expect(first.textPlan).toBe('scan');
    expect(first.entries).toHaveLength(50);
    expect(first.entries.every((entry) => entry.message.includes('Reached Out'))).toBe(true);
    expect(first.entries[0]?.message).toBe(`Moved to Reached Out (${total - 2})`);
    expect(first.count).toEqual({ value: SCAN_COUNT_LIMIT, exact: false });

    // Failed entries are those with an index divisible by 10, and all of them match.
    const failed = readAll({ text: 'reached out', outcome: 'failed' });
    expect(failed).toHaveLength(Math.ceil(total / 10));
    expect(
      failed.every((entry) => entry.outcome === 'failed' && entry.message.includes('Reached Out')),
    ).toBe(true);
  });
});

describe('queryAuditPage paging', () => {
  it('pages newest first without gaps or repeats', () => {
    const rows = seed();
    const ids = readAll({}, 7).map((entry) => entry.id);

    expect(ids).toEqual(newestFirstIds(rows));
  });

  it('pages oldest first with a cursor', () => {
    const rows = seed();
    const ids: number[] = [];
    let after = null;
    do {
      const page = queryAuditPage(world.db, {}, { limit: 11, after, order: 'oldest_first' });
      ids.push(...page.entries.map((entry) => entry.id));
      after = page.nextCursor;
    } while (after);

    expect(ids).toEqual(newestFirstIds(rows).reverse());
  });

  it('orders entries with equal times by id', () => {
    const ids = appendEntries(
      world.db,
      fixedClock('2026-03-01T00:00:00.000Z'),
      Array.from({ length: 9 }, (_, index) => ({
        action: 'decision',
        outcome: 'ok',
        message: `same time ${index}`,
      })),
    );
    const read = readAll({}, 4).map((entry) => entry.id);

    expect(read).toEqual([...ids].reverse());
  });

  it('stays stable when entries arrive between pages', () => {
    const rows = seed();
    const first = queryAuditPage(world.db, {}, { limit: 20 });
    appendEntries(world.db, steppingClock('2026-06-01T00:00:00.000Z'), [
      { action: 'decision', outcome: 'ok', message: 'later 1' },
      { action: 'decision', outcome: 'ok', message: 'later 2' },
    ]);
    const rest = readAll({}, 500);
    const secondPage = queryAuditPage(world.db, {}, { limit: 500, after: first.nextCursor });

    expect([...first.entries, ...secondPage.entries].map((entry) => entry.id)).toEqual(
      newestFirstIds(rows),
    );
    expect(rest).toHaveLength(62);
  });

  it('reports the last page with a null cursor', () => {
    seed();
    const page = queryAuditPage(world.db, { clientId: world.clientB }, { limit: 20 });

    expect(page.entries).toHaveLength(20);
    expect(page.nextCursor).toBeNull();
  });
});

describe('queryAuditPage count', () => {
  it('counts matching entries exactly below the limit', () => {
    seed();
    const page = queryAuditPage(
      world.db,
      { clientId: world.clientA },
      { limit: 5, includeCount: true },
    );

    expect(page.count).toEqual({ value: 40, exact: true });
  });

  it('omits the count unless requested', () => {
    seed();
    expect(queryAuditPage(world.db, {}).count).toBeNull();
  });

  it('stops counting at the limit', () => {
    const insert = world.db.prepare(
      `INSERT INTO audit_log (at, client_id, action, outcome, message) VALUES (?, ?, 'decision', 'ok', 'bulk')`,
    );
    world.db.transaction(() => {
      for (let index = 0; index < COUNT_LIMIT + 5; index += 1) {
        insert.run(
          new Date(Date.parse('2026-04-01T00:00:00.000Z') + index).toISOString(),
          world.clientB,
        );
      }
    })();

    expect(queryAuditPage(world.db, {}, { includeCount: true }).count).toEqual({
      value: COUNT_LIMIT,
      exact: false,
    });
    expect(
      queryAuditPage(world.db, { clientId: world.clientA }, { includeCount: true }).count,
    ).toEqual({
      value: 0,
      exact: true,
    });
  });
});
