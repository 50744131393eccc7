// Cursor and sync-token pagination in the way Ashby documents it: `limit` (default and maximum
// 100), opaque `nextCursor` while `moreDataAvailable`, and a `syncToken` after the last page that
// later returns only records changed since. Cursors and tokens are random strings mapped to
// server-side state, so clients cannot decode or forge them.
import { AshbyError } from './errors.js';
import { opaqueToken } from './ids.js';
import type { Tenant, Tracked } from './model.js';

export const MAX_PAGE_SIZE = 100;

/** NOTE: Ashby publishes no cursor lifetime; one hour keeps `next_cursor_expired` testable with the clock. */
export const CURSOR_TTL_MS = 60 * 60 * 1000;

/** Sync tokens expire after about a month of disuse (observed by a production connector, not documented). */
export const SYNC_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

interface CursorState {
  tenantId: string;
  endpoint: string;
  filterKey: string;
  afterOrdinal: number;
  /** Change sequence of the sync token this pass started from; null on a full pass. */
  sinceSeq: number | null;
  /** Tenant change sequence when the pass started; becomes the next sync token. */
  passSeq: number;
  issuedAt: number;
}

interface SyncTokenState {
  tenantId: string;
  endpoint: string;
  filterKey: string;
  seq: number;
  lastUsedAt: number;
}

export interface PageRequest {
  cursor?: string | undefined;
  syncToken?: string | undefined;
  limit?: number | undefined;
}

export interface Page<T> {
  results: T[];
  moreDataAvailable: boolean;
  nextCursor?: string;
  syncToken?: string;
}

export interface PaginationOptions {
  /** An incremental sync that would return more records than this is rejected (`incremental_sync_too_large`). */
  incrementalSyncMaxRecords: number;
}

/** Above this many stored cursors, expired ones are swept out so long benchmark runs keep memory flat. */
const CURSOR_SWEEP_THRESHOLD = 10_000;

export class PaginationStore {
  private readonly cursors = new Map<string, CursorState>();
  private readonly syncTokens = new Map<string, SyncTokenState>();

  constructor(private readonly options: PaginationOptions) {}

  /**
   * Returns one page of `records` (already filtered, in creation order) for `endpoint`.
   * `filterKey` identifies the request's filters: a cursor or token only works with the same ones.
   */
  page<T extends Tracked>(
    tenant: Tenant,
    endpoint: string,
    filterKey: string,
    records: Iterable<T>,
    request: PageRequest,
    nowMs: number,
  ): Page<T> {
    const limit = pageSize(request.limit);
    let afterOrdinal = 0;
    let sinceSeq: number | null = null;
    let passSeq = tenant.changeSeq;

    if (request.cursor !== undefined) {
      const cursor = this.cursors.get(request.cursor);
      if (!cursor || cursor.tenantId !== tenant.id || cursor.endpoint !== endpoint || cursor.filterKey !== filterKey) {
        throw new AshbyError(
          'invalid_next_cursor',
          'The cursor is not valid for this request. Send the nextCursor from the previous page with the same filters.',
        );
      }
      if (nowMs - cursor.issuedAt > CURSOR_TTL_MS) {
        throw new AshbyError('next_cursor_expired', 'The cursor has expired. Restart the listing without a cursor.');
      }
      afterOrdinal = cursor.afterOrdinal;
      sinceSeq = cursor.sinceSeq;
      passSeq = cursor.passSeq;
    } else if (request.syncToken !== undefined) {
      const token = this.syncTokens.get(request.syncToken);
      if (!token || token.tenantId !== tenant.id || token.endpoint !== endpoint || token.filterKey !== filterKey) {
        throw new AshbyError(
          'sync_token_invalid',
          'The sync token is not valid for this endpoint and filters. Drop it and run a full sync.',
        );
      }
      if (nowMs - token.lastUsedAt > SYNC_TOKEN_TTL_MS) {
        throw new AshbyError('sync_token_expired', 'The sync token has expired. Drop it and run a full sync.');
      }
      token.lastUsedAt = nowMs;
      sinceSeq = token.seq;
    }

    const remaining: T[] = [];
    for (const record of records) {
      if (record.ordinal <= afterOrdinal) continue;
      if (sinceSeq !== null && record.changeSeq <= sinceSeq) continue;
      remaining.push(record);
    }

    if (request.syncToken !== undefined && request.cursor === undefined) {
      if (remaining.length > this.options.incrementalSyncMaxRecords) {
        throw new AshbyError(
          'incremental_sync_too_large',
          `The incremental sync would return ${remaining.length} records, more than ${this.options.incrementalSyncMaxRecords}. Drop the sync token and run a full sync.`,
        );
      }
    }

    const results = remaining.slice(0, limit);
    const last = results[results.length - 1];
    if (remaining.length > limit && last) {
      this.sweepExpiredCursors(nowMs);
      const nextCursor = opaqueToken(100);
      this.cursors.set(nextCursor, {
        tenantId: tenant.id,
        endpoint,
        filterKey,
        afterOrdinal: last.ordinal,
        sinceSeq,
        passSeq,
        issuedAt: nowMs,
      });
      return { results, moreDataAvailable: true, nextCursor };
    }

    const syncToken = opaqueToken(12);
    this.syncTokens.set(syncToken, { tenantId: tenant.id, endpoint, filterKey, seq: passSeq, lastUsedAt: nowMs });
    return { results, moreDataAvailable: false, syncToken };
  }

  private sweepExpiredCursors(nowMs: number): void {
    if (this.cursors.size < CURSOR_SWEEP_THRESHOLD) return;
    for (const [key, cursor] of this.cursors) {
      if (nowMs - cursor.issuedAt > CURSOR_TTL_MS) this.cursors.delete(key);
    }
  }
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new AshbyError('invalid_input', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${limit}.`);
  }
  // Ashby documents 100 as the maximum; larger values are capped rather than rejected.
  return Math.min(limit, MAX_PAGE_SIZE);
}
