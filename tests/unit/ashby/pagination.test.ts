import { describe, expect, it } from 'vitest';
import { AshbyApiError } from '../../../core/ashby/errors.js';
import type { Page, PageRequest } from '../../../core/ashby/pagination.js';
import { collectPages, syncCollection } from '../../../core/ashby/pagination.js';

function pagesOf(items: number[], size: number, token: string): Map<string, Page<number>> {
  const pages = new Map<string, Page<number>>();
  for (let start = 0; start < items.length; start += size) {
    const key = start === 0 ? '' : `c${start}`;
    const more = start + size < items.length;
    pages.set(key, {
      results: items.slice(start, start + size),
      moreDataAvailable: more,
      nextCursor: more ? `c${start + size}` : undefined,
      syncToken: more ? undefined : token,
    });
  }
  return pages;
}

function apiError(code: string): AshbyApiError {
  return new AshbyApiError({ ashbyCode: code }, { endpoint: 'candidate.list' });
}

describe('collectPages', () => {
  it('follows cursors and returns the sync token', async () => {
    const pages = pagesOf([1, 2, 3, 4, 5], 2, 'tok-1');
    const requests: PageRequest[] = [];
    const result = await collectPages<number>(async (request) => {
      requests.push(request);
      return pages.get(request.cursor ?? '') as Page<number>;
    });
    expect(result.items).toEqual([1, 2, 3, 4, 5]);
    expect(result.syncToken).toBe('tok-1');
    expect(result.pages).toBe(3);
    expect(requests).toEqual([{}, { cursor: 'c2' }, { cursor: 'c4' }]);
  });

  it('rejects more data without a cursor', async () => {
    await expect(collectPages<number>(async () => ({ results: [1], moreDataAvailable: true }))).rejects.toMatchObject({
      kind: 'invalid_response',
    });
  });

  it('rejects a repeated cursor', async () => {
    await expect(
      collectPages<number>(async () => ({ results: [1], moreDataAvailable: true, nextCursor: 'same' })),
    ).rejects.toMatchObject({ kind: 'invalid_response' });
  });
});

describe('syncCollection', () => {
  it('runs a full pass without a token', async () => {
    const pages = pagesOf([1, 2, 3], 2, 'tok-full');
    const result = await syncCollection<number>(async (request) => pages.get(request.cursor ?? '') as Page<number>, undefined);
    expect(result.mode).toBe('full');
    expect(result.items).toEqual([1, 2, 3]);
    expect(result.syncToken).toBe('tok-full');
    expect(result.fallbackReason).toBeUndefined();
  });

  it('sends the stored token incrementally', async () => {
    const requests: PageRequest[] = [];
    const result = await syncCollection<number>(async (request) => {
      requests.push(request);
      return { results: [9], moreDataAvailable: false, syncToken: 'tok-next' };
    }, 'tok-old');
    expect(result.mode).toBe('incremental');
    expect(requests).toEqual([{ syncToken: 'tok-old' }]);
    expect(result.syncToken).toBe('tok-next');
  });

  it.each(['sync_token_expired', 'sync_token_invalid', 'incremental_sync_too_large'])(
    'falls back to full on %s',
    async (code) => {
      const full = pagesOf([1, 2, 3], 2, 'tok-new');
      const requests: PageRequest[] = [];
      const result = await syncCollection<number>(async (request) => {
        requests.push(request);
        if (request.syncToken) throw apiError(code);
        return full.get(request.cursor ?? '') as Page<number>;
      }, 'tok-stale');
      expect(result.mode).toBe('full');
      expect(result.fallbackReason).toBe(code);
      expect(result.items).toEqual([1, 2, 3]);
      expect(result.syncToken).toBe('tok-new');
      expect(requests[0]).toEqual({ syncToken: 'tok-stale' });
      expect(requests.slice(1).every((request) => request.syncToken === undefined)).toBe(true);
    },
  );

  it('rethrows other errors', async () => {
    await expect(
      syncCollection<number>(async () => {
        throw apiError('invalid_input');
      }, 'tok'),
    ).rejects.toMatchObject({ ashbyCode: 'invalid_input' });
  });

  it('restarts once after an expired cursor', async () => {
    const pages = pagesOf([1, 2, 3, 4], 2, 'tok');
    let failed = false;
    const result = await syncCollection<number>(async (request) => {
      if (request.cursor === 'c2' && !failed) {
        failed = true;
        throw apiError('next_cursor_expired');
      }
      return pages.get(request.cursor ?? '') as Page<number>;
    }, undefined);
    expect(result.restartedAfterCursorError).toBe(true);
    expect(result.items).toEqual([1, 2, 3, 4]);
  });

  it('hands pages to onPage instead of collecting', async () => {
    const pages = pagesOf([1, 2, 3], 2, 'tok');
    const seen: number[][] = [];
    const result = await syncCollection<number>(
      async (request) => pages.get(request.cursor ?? '') as Page<number>,
      undefined,
      { onPage: (results) => void seen.push(results) },
    );
    expect(seen).toEqual([[1, 2], [3]]);
    expect(result.items).toEqual([]);
    expect(result.pages).toBe(2);
  });
});
