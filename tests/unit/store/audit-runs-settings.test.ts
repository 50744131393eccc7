import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerSecret } from '../../../core/log/logger.js';
import { appendAudit, queryAudit, type AuditEntry } from '../../../core/store/repo/audit.js';
import { insertCandidate } from '../../../core/store/repo/candidates.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { upsertRole } from '../../../core/store/repo/roles.js';
import {
  createRun,
  getRun,
  incrementRunCounters,
  listRuns,
  setRunCounters,
  setRunStatus,
} from '../../../core/store/repo/runs.js';
import { deleteSetting, getSetting, setSetting } from '../../../core/store/repo/settings.js';
import { openTempDatabase, steppingClock } from './helpers.js';

let temp: ReturnType<typeof openTempDatabase>;
let clientA: number;
let clientB: number;
let roleId: number;
let candidateId: number;

beforeEach(() => {
  const setupClock = steppingClock('2025-12-31T00:00:00.000Z');
  temp = openTempDatabase(setupClock);
  clientA = createClient(temp.db, setupClock, { name: 'Acme Fake', baseUrl: 'https://a.example' }).id;
  clientB = createClient(temp.db, setupClock, { name: 'Beta Fake', baseUrl: 'https://b.example' }).id;
  roleId = upsertRole(temp.db, setupClock, { clientId: clientA, externalId: 'r', title: 'Engineer' }).id;
  candidateId = insertCandidate(temp.db, setupClock, {
    clientId: clientA,
    roleId,
    externalId: 'c',
    name: 'Jane Roe',
    email: 'jane.roe@example.com',
    state: 'intro_requested',
  }).id;
});

afterEach(() => {
  temp.cleanup();
});

describe('audit repository', () => {
  // 30 entries one minute apart: even ones for client A, odd ones for client B; every third failed.
  function seedAudit(): AuditEntry[] {
    const clock = steppingClock('2026-02-01T00:00:00.000Z', 60_000);
    const entries: AuditEntry[] = [];
    for (let index = 0; index < 30; index += 1) {
      const forA = index % 2 === 0;
      entries.push(
        appendAudit(temp.db, clock, {
          clientId: forA ? clientA : clientB,
          roleId: forA ? roleId : null,
          candidateId: forA && index % 4 === 0 ? candidateId : null,
          event: index % 5 === 0 ? 'hire' : 'request_intro',
          action: 'push.application_moved',
          outcome: index % 3 === 0 ? 'failed' : 'ok',
          message: index === 7 ? 'Ashby returned application_not_found for the move' : `moved entry ${index}`,
          details: { index },
        }),
      );
    }
    return entries;
  }

  it('appends and reads back an entry', () => {
    const clock = steppingClock('2026-02-01T00:00:00.000Z');
    const entry = appendAudit(temp.db, clock, {
      clientId: clientA,
      action: 'settings.changed',
      outcome: 'ok',
      message: 'review before push turned on',
      actor: 'admin',
      details: { field: 'reviewBeforePush', value: true },
    });

    expect(entry.at).toBe('2026-02-01T00:00:00.000Z');
    expect(entry.actor).toBe('admin');
    expect(entry.details).toEqual({ field: 'reviewBeforePush', value: true });
    expect(queryAudit(temp.db).entries).toEqual([entry]);
  });

  it('scrubs registered secrets before writing', () => {
    const secret = 'audit-secret-key-0123456789';
    registerSecret(secret);
    const entry = appendAudit(temp.db, steppingClock(), {
      action: 'client.test_connection',
      outcome: 'failed',
      message: `request with ${secret} failed`,
      details: { header: `Basic ${Buffer.from(`${secret}:`).toString('base64')}` },
    });

    expect(entry.message).toBe('request with [redacted] failed');
    expect(JSON.stringify(entry.details)).not.toContain(Buffer.from(`${secret}:`).toString('base64'));
  });

  it('filters by client, role, candidate, event and outcome', () => {
    const entries = seedAudit();
    const idsWhere = (predicate: (entry: AuditEntry) => boolean) =>
      entries.filter(predicate).map((entry) => entry.id).reverse();
    const query = (filter: Parameters<typeof queryAudit>[1]) =>
      queryAudit(temp.db, filter, { limit: 100 }).entries.map((entry) => entry.id);

    expect(query({ clientId: clientB })).toEqual(idsWhere((entry) => entry.clientId === clientB));
    expect(query({ roleId })).toEqual(idsWhere((entry) => entry.roleId === roleId));
    expect(query({ candidateId })).toEqual(idsWhere((entry) => entry.candidateId === candidateId));
    expect(query({ event: 'hire' })).toEqual(idsWhere((entry) => entry.event === 'hire'));
    expect(query({ clientId: clientA, outcome: 'failed' })).toEqual(
      idsWhere((entry) => entry.clientId === clientA && entry.outcome === 'failed'),
    );
  });

  it('filters by date range', () => {
    const entries = seedAudit();
    const page = queryAudit(temp.db, { from: '2026-02-01T00:05:00.000Z', to: '2026-02-01T01:05:00+01:00' });
    // From minute 5 inclusive to minute 5 of the next hour in UTC+1, that is minute 5 UTC: empty.
    expect(page.entries).toEqual([]);

    const range = queryAudit(temp.db, { from: '2026-02-01T00:05:00.000Z', to: '2026-02-01T00:10:00Z' }, { order: 'oldest_first' });
    expect(range.entries.map((entry) => entry.id)).toEqual(entries.slice(5, 10).map((entry) => entry.id));
    expect(() => queryAudit(temp.db, { from: 'yesterday' })).toThrow(/not a valid ISO-8601 time/);
  });

  it('searches message text and candidate names', () => {
    const entries = seedAudit();

    const byMessage = queryAudit(temp.db, { text: 'APPLICATION_NOT_FOUND' }).entries;
    expect(byMessage.map((entry) => entry.id)).toEqual([entries[7]!.id]);

    // Two characters are below the trigram index's minimum, so this runs through LIKE.
    expect(queryAudit(temp.db, { text: 'y 2' }).entries.map((entry) => entry.message)).toEqual([
      'moved entry 29',
      'moved entry 28',
      'moved entry 27',
      'moved entry 26',
      'moved entry 25',
      'moved entry 24',
      'moved entry 23',
      'moved entry 22',
      'moved entry 21',
      'moved entry 20',
      'moved entry 2',
    ]);
    expect(queryAudit(temp.db, { text: 'HB' }).entries.map((entry) => entry.id)).toEqual([entries[7]!.id]);

    const byCandidate = queryAudit(temp.db, { text: 'jane roe' }, { limit: 100 }).entries;
    expect(byCandidate.map((entry) => entry.id)).toEqual(
      entries.filter((entry) => entry.candidateId === candidateId).map((entry) => entry.id).reverse(),
    );
  });

  it('pages with a cursor and with an offset', () => {
    const entries = seedAudit();
    const newestFirst = entries.map((entry) => entry.id).reverse();

    const collected: number[] = [];
    let cursor: { at: string; id: number } | null = null;
    let pages = 0;
    do {
      const page = queryAudit(temp.db, {}, { limit: 7, cursor });
      collected.push(...page.entries.map((entry) => entry.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(collected).toEqual(newestFirst);
    expect(pages).toBe(5);

    const third = queryAudit(temp.db, {}, { limit: 7, offset: 14 }).entries.map((entry) => entry.id);
    expect(third).toEqual(newestFirst.slice(14, 21));
  });

  it('orders entries with equal times by id', () => {
    const frozen = { now: () => Date.parse('2026-02-02T00:00:00.000Z') };
    const ids = [1, 2, 3].map((n) => appendAudit(temp.db, frozen, { action: 'a', outcome: 'ok', message: `m${n}` }).id);

    const first = queryAudit(temp.db, {}, { limit: 2 });
    const second = queryAudit(temp.db, {}, { limit: 2, cursor: first.nextCursor });
    expect([...first.entries, ...second.entries].map((entry) => entry.id)).toEqual([...ids].reverse());
    expect(second.nextCursor).toBeNull();
  });
});

describe('runs repository', () => {
  it('creates, counts and finishes a run', () => {
    const clock = steppingClock('2026-03-01T00:00:00.000Z');
    const run = createRun(temp.db, clock, { clientId: clientA, roleId, kind: 'bulk_push', total: 100 });
    expect(run.status).toBe('running');
    expect(run.finishedAt).toBeNull();

    incrementRunCounters(temp.db, clock, run.id, { done: 2, failed: 1 });
    const counted = incrementRunCounters(temp.db, clock, run.id, { done: 3, skipped: 4 });
    expect({ total: counted.total, done: counted.done, failed: counted.failed, skipped: counted.skipped }).toEqual({
      total: 100,
      done: 5,
      failed: 1,
      skipped: 4,
    });
    expect(setRunCounters(temp.db, clock, run.id, { total: 97 }).total).toBe(97);
    expect(() => setRunCounters(temp.db, clock, run.id, { done: -1 })).toThrow(RangeError);

    const paused = setRunStatus(temp.db, clock, run.id, 'paused', 'client disconnected');
    expect(paused.finishedAt).toBeNull();
    const finished = setRunStatus(temp.db, clock, run.id, 'completed_with_failures', '1 failed');
    expect(finished.finishedAt).not.toBeNull();
    expect(() => setRunStatus(temp.db, clock, run.id, 'running')).toThrow(/already finished/);
    expect(getRun(temp.db, run.id)?.status).toBe('completed_with_failures');
  });

  it('lists runs newest first with filters', () => {
    const clock = steppingClock('2026-03-01T00:00:00.000Z');
    const first = createRun(temp.db, clock, { clientId: clientA, kind: 'import' });
    const second = createRun(temp.db, clock, { clientId: clientB, kind: 'link_resolution' });
    const third = createRun(temp.db, clock, { clientId: clientA, kind: 'bulk_push' });
    setRunStatus(temp.db, clock, first.id, 'completed');

    expect(listRuns(temp.db).map((run) => run.id)).toEqual([third.id, second.id, first.id]);
    expect(listRuns(temp.db, { clientId: clientA }).map((run) => run.id)).toEqual([third.id, first.id]);
    expect(listRuns(temp.db, { statuses: ['running'] }).map((run) => run.id)).toEqual([third.id, second.id]);
  });
});

describe('settings repository', () => {
  const Theme = z.object({ mode: z.enum(['light', 'dark']) });

  it('stores, replaces and deletes a value', () => {
    expect(getSetting(temp.db, 'theme', Theme)).toBeNull();
    setSetting(temp.db, 'theme', { mode: 'dark' });
    setSetting(temp.db, 'theme', { mode: 'light' });
    expect(getSetting(temp.db, 'theme', Theme)).toEqual({ mode: 'light' });
    expect(deleteSetting(temp.db, 'theme')).toBe(true);
    expect(deleteSetting(temp.db, 'theme')).toBe(false);
  });

  it('rejects a stored value of the wrong shape', () => {
    setSetting(temp.db, 'theme', { mode: 'sepia' });
    expect(() => getSetting(temp.db, 'theme', Theme)).toThrow(/setting "theme" has an unexpected shape/);
  });
});
