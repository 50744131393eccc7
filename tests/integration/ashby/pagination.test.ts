// Cursor pagination and incremental sync with fallback, against the sandbox.
import { afterEach, describe, expect, it } from 'vitest';
import type { Candidate, FetchPage } from '../../../core/ashby/index.js';
import { collectPages, createAshbyClient, syncCollection } from '../../../core/ashby/index.js';
import type { Harness } from './sandbox-harness.js';
import { startHarness } from './sandbox-harness.js';

const TENANT = 'Northwind Robotics';
const DAY_MS = 24 * 60 * 60 * 1000;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.sandbox.close();
  harness = undefined;
});

async function setup(options: Parameters<typeof startHarness>[0] = {}) {
  harness = await startHarness(options);
  const client = createAshbyClient({ baseUrl: harness.url, apiKey: harness.keyOf(TENANT), label: TENANT });
  const requests: Record<string, unknown>[] = [];
  const fetchPage: FetchPage<Candidate> = (request) => {
    requests.push({ ...request });
    return client.candidate.list({ ...request, limit: 10 });
  };
  return { harness, client, fetchPage, requests };
}

describe('pagination against the sandbox', () => {
  it('collects every candidate across pages', async () => {
    const { client, fetchPage, requests } = await setup();
    // One page of 100 contains them all; candidates of confidential jobs stay hidden from this key.
    const onePage = await client.candidate.list({ limit: 100 });
    expect(onePage.moreDataAvailable).toBe(false);
    const expected = onePage.results.length;

    const result = await collectPages(fetchPage);

    expect(expected).toBeGreaterThan(20);
    expect(result.items).toHaveLength(expected);
    expect(new Set(result.items.map((candidate) => candidate.id)).size).toBe(expected);
    expect(result.pages).toBe(Math.ceil(expected / 10));
    expect(typeof result.syncToken).toBe('string');
    expect(requests[0]).toEqual({});
    expect(typeof requests[1]?.cursor).toBe('string');
  });

  it('returns only changes after a sync token', async () => {
    const { client, fetchPage } = await setup();
    const full = await syncCollection(fetchPage, undefined);
    expect(full.mode).toBe('full');

    await client.candidate.create({ name: 'Incremental Newcomer' });
    const incremental = await syncCollection(fetchPage, full.syncToken);

    expect(incremental.mode).toBe('incremental');
    expect(incremental.fallbackReason).toBeUndefined();
    expect(incremental.items.map((candidate) => candidate.name)).toEqual(['Incremental Newcomer']);
    expect(incremental.syncToken).not.toBe(full.syncToken);
  });

  it('falls back on an expired token', async () => {
    const { harness, fetchPage } = await setup();
    const full = await syncCollection(fetchPage, undefined);
    harness.sandbox.advanceClock(31 * DAY_MS);

    const result = await syncCollection(fetchPage, full.syncToken);

    expect(result.mode).toBe('full');
    expect(result.fallbackReason).toBe('sync_token_expired');
    expect(result.items).toHaveLength(full.items.length);
  });

  it('falls back on an invalid token', async () => {
    const { fetchPage } = await setup();
    const result = await syncCollection(fetchPage, 'not-a-token');
    expect(result.fallbackReason).toBe('sync_token_invalid');
    expect(result.items.length).toBeGreaterThan(20);
  });

  it('falls back on a too-large incremental sync', async () => {
    const { client, fetchPage } = await setup({ incrementalSyncMaxRecords: 2 });
    const full = await syncCollection(fetchPage, undefined);
    for (const name of ['Bulk One', 'Bulk Two', 'Bulk Three']) await client.candidate.create({ name });

    const result = await syncCollection(fetchPage, full.syncToken);

    expect(result.mode).toBe('full');
    expect(result.fallbackReason).toBe('incremental_sync_too_large');
    expect(result.items).toHaveLength(full.items.length + 3);
  });

  it('restarts a pass after an expired cursor', async () => {
    const { harness, client } = await setup();
    let pages = 0;
    const result = await syncCollection<Candidate>(async (request) => {
      pages += 1;
      // Let the first cursor go stale (cursors live one hour in the sandbox).
      if (pages === 2) harness.sandbox.advanceClock(2 * 60 * 60 * 1000);
      return client.candidate.list({ ...request, limit: 10 });
    }, undefined);
    expect(result.restartedAfterCursorError).toBe(true);
    expect(result.items.length).toBeGreaterThan(20);
  });
});
