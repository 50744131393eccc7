import { describe, expect, it } from 'vitest';

import { FaultBook, validateFault } from '../../../core/sandbox/faults.js';
import { newRequestId, seededRandom, uuidFromName } from '../../../core/sandbox/ids.js';
import { stageStatus } from '../../../core/sandbox/model.js';
import { scopeFor } from '../../../core/sandbox/endpoints/organisation.js';
import { PaginationStore } from '../../../core/sandbox/pagination.js';
import { RateLimiter } from '../../../core/sandbox/rate-limit.js';
import { createTenant, track, touch } from '../../../core/sandbox/tenant.js';
import { AdminError, AshbyError } from '../../../core/sandbox/errors.js';
import type { Tracked } from '../../../core/sandbox/model.js';

interface Row extends Tracked {
  id: string;
  updatedAt: string;
}

function tenantWithRows(count: number) {
  const tenant = createTenant('t', 'Tenant');
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) rows.push(track<Row>(tenant, { id: `row-${i}`, updatedAt: '' }));
  return { tenant, rows };
}

describe('pagination store', () => {
  it('pages in creation order', () => {
    const { tenant, rows } = tenantWithRows(5);
    const store = new PaginationStore({ incrementalSyncMaxRecords: 100 });
    const first = store.page(tenant, 'x.list', '', rows, { limit: 2 }, 0);
    expect(first.results.map((row) => row.id)).toEqual(['row-0', 'row-1']);
    const second = store.page(tenant, 'x.list', '', rows, { limit: 2, cursor: first.nextCursor }, 0);
    expect(second.results.map((row) => row.id)).toEqual(['row-2', 'row-3']);
    const last = store.page(tenant, 'x.list', '', rows, { limit: 2, cursor: second.nextCursor }, 0);
    expect(last.results.map((row) => row.id)).toEqual(['row-4']);
    expect(last.moreDataAvailable).toBe(false);
    expect(last.syncToken).toBeDefined();
  });

  it('returns rows changed after the token', () => {
    const { tenant, rows } = tenantWithRows(3);
    const store = new PaginationStore({ incrementalSyncMaxRecords: 100 });
    const full = store.page(tenant, 'x.list', '', rows, {}, 0);
    touch(tenant, rows[1]!, 'later');
    const incremental = store.page(tenant, 'x.list', '', rows, { syncToken: full.syncToken }, 0);
    expect(incremental.results.map((row) => row.id)).toEqual(['row-1']);
  });

  it('keeps a change made during a full pass for the next sync', () => {
    const { tenant, rows } = tenantWithRows(3);
    const store = new PaginationStore({ incrementalSyncMaxRecords: 100 });
    const first = store.page(tenant, 'x.list', '', rows, { limit: 2 }, 0);
    touch(tenant, rows[0]!, 'during');
    const last = store.page(tenant, 'x.list', '', rows, { limit: 2, cursor: first.nextCursor }, 0);
    const next = store.page(tenant, 'x.list', '', rows, { syncToken: last.syncToken }, 0);
    expect(next.results.map((row) => row.id)).toEqual(['row-0']);
  });

  it('raises Ashby errors for bad input', () => {
    const { tenant, rows } = tenantWithRows(1);
    const store = new PaginationStore({ incrementalSyncMaxRecords: 100 });
    expect(() => store.page(tenant, 'x.list', '', rows, { limit: 1.5 }, 0)).toThrow(AshbyError);
    expect(() => store.page(tenant, 'x.list', '', rows, { cursor: 'nope' }, 0)).toThrow(/cursor/);
  });
});

describe('rate limiter', () => {
  it('refills at the window boundary', () => {
    const limiter = new RateLimiter(2);
    expect(limiter.take('k', 1_000).allowed).toBe(true);
    expect(limiter.take('k', 2_000).allowed).toBe(true);
    const blocked = limiter.take('k', 3_000);
    expect(blocked.allowed).toBe(false);
    expect(blocked.resetAtMs).toBe(60_000);
    expect(limiter.take('other', 3_000).allowed).toBe(true);
    expect(limiter.take('k', 60_000).allowed).toBe(true);
  });
});

describe('fault book', () => {
  it('stops after times calls', () => {
    const book = new FaultBook(1);
    book.add({ tenant: 'A', endpoint: 'job.list', kind: 'http_500', times: 2 });
    expect(book.draw('A', 'job.list').action?.kind).toBe('http_500');
    expect(book.draw('A', 'job.list').action?.kind).toBe('http_500');
    expect(book.draw('A', 'job.list').action).toBeNull();
    expect(book.list()).toEqual([]);
  });

  it('adds latencies and keeps the first action', () => {
    const book = new FaultBook(1);
    book.add({ tenant: '*', endpoint: '*', kind: 'latency', ms: 10 });
    book.add({ tenant: 'A', endpoint: '*', kind: 'rate_limit' });
    book.add({ tenant: 'A', endpoint: '*', kind: 'latency', ms: 5 });
    book.add({ tenant: 'A', endpoint: '*', kind: 'http_500' });
    const decision = book.draw('A', 'candidate.create');
    expect(decision.delayMs).toBe(15);
    expect(decision.action?.kind).toBe('rate_limit');
  });

  it('validates fault requests', () => {
    expect(() => validateFault({ tenant: 'A', endpoint: '*', kind: 'nope' })).toThrow(AdminError);
    expect(() => validateFault({ tenant: 'A', endpoint: '*', kind: 'timeout', times: 0 })).toThrow(/times/);
    expect(validateFault({ tenant: 'A', endpoint: '*', kind: 'timeout', rate: 0.25 })).toEqual({ tenant: 'A', endpoint: '*', kind: 'timeout', rate: 0.25 });
  });
});

describe('ids and names', () => {
  it('derives stable UUIDs', () => {
    expect(uuidFromName('a')).toBe(uuidFromName('a'));
    expect(uuidFromName('a')).not.toBe(uuidFromName('b'));
    expect(uuidFromName('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('builds ULID-like request ids', () => {
    const id = newRequestId(Date.parse('2026-05-28T21:06:38.093Z'));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.slice(0, 2)).toBe('01');
  });

  it('repeats a seeded sequence', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('maps permissions to scopes', () => {
    expect(scopeFor('candidatesRead')).toBe('candidates:read');
    expect(scopeFor('hiringProcessMetadataWrite')).toBe('hiringProcessMetadata:write');
  });

  it('maps stage types to statuses', () => {
    expect(stageStatus('Lead')).toBe('Lead');
    expect(stageStatus('PreInterviewScreen')).toBe('Active');
    expect(stageStatus('Active')).toBe('Active');
    expect(stageStatus('Offer')).toBe('Active');
    expect(stageStatus('Hired')).toBe('Hired');
    expect(stageStatus('Archived')).toBe('Archived');
  });
});

describe('loopback check', () => {
  it('accepts loopback addresses only', async () => {
    const { isLoopback } = await import('../../../core/sandbox/http-util.js');
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
