// Pagination and incremental sync over Ashby's `.list` endpoints.
//
// A pass POSTs the same filters with `cursor = nextCursor` while `moreDataAvailable` is true. The
// last page of a pass carries a `syncToken`, and a later pass that sends it returns only the
// records changed since. Ashby rejects a stale or unreadable token (`sync_token_expired`,
// `sync_token_invalid`) and an incremental pass that would need too many pages
// (`incremental_sync_too_large`); in each case the client drops the token and runs a full pass.
import { AshbyInvalidResponseError, isAshbyError } from './errors.js';

export interface Page<T> {
  results: T[];
  moreDataAvailable: boolean;
  nextCursor?: string | undefined;
  syncToken?: string | undefined;
}

export interface PageRequest {
  cursor?: string;
  syncToken?: string;
}

/** Fetches one page; the caller closes over the endpoint, its filters and the call options. */
export type FetchPage<T> = (request: PageRequest) => Promise<Page<T>>;

export interface PassResult {
  /** `syncToken` of the last page, to store for the next incremental pass. */
  syncToken: string | undefined;
  pages: number;
  records: number;
}

/** Ashby codes after which the stored token is dropped and a full pass runs. */
export const SYNC_FALLBACK_CODES = ['sync_token_expired', 'sync_token_invalid', 'incremental_sync_too_large'] as const;
export type SyncFallbackReason = (typeof SYNC_FALLBACK_CODES)[number];

/** Ashby codes for a cursor that can no longer be followed; the pass restarts from its first page once. */
export const CURSOR_RESTART_CODES = ['next_cursor_expired', 'invalid_next_cursor'] as const;

function ashbyCodeOf(error: unknown): string | undefined {
  return isAshbyError(error) && error.kind === 'api' ? error.ashbyCode : undefined;
}

/**
 * Runs one pass: calls `onPage` for every page in order and returns the final `syncToken`.
 * Throws AshbyInvalidResponseError when a page reports more data but gives no new cursor,
 * because following it would loop for ever.
 */
export async function forEachPage<T>(
  fetchPage: FetchPage<T>,
  onPage: (results: T[], page: Page<T>) => void | Promise<void>,
  options: { syncToken?: string | undefined } = {},
): Promise<PassResult> {
  let cursor: string | undefined;
  let pages = 0;
  let records = 0;
  const seenCursors = new Set<string>();

  for (;;) {
    const request: PageRequest = {};
    if (cursor !== undefined) request.cursor = cursor;
    if (options.syncToken !== undefined) request.syncToken = options.syncToken;
    const page = await fetchPage(request);
    pages += 1;
    records += page.results.length;
    await onPage(page.results, page);

    if (!page.moreDataAvailable) return { syncToken: page.syncToken ?? undefined, pages, records };
    const next = page.nextCursor ?? undefined;
    if (next === undefined || next === '' || seenCursors.has(next)) {
      const detail = next ? `cursor ${next.slice(0, 12)}… repeated` : 'moreDataAvailable is true but nextCursor is missing';
      throw new AshbyInvalidResponseError({ endpoint: 'pagination' }, `${detail} after page ${pages}`);
    }
    seenCursors.add(next);
    cursor = next;
  }
}

/** Runs one pass and returns every record with the final `syncToken`. */
export async function collectPages<T>(
  fetchPage: FetchPage<T>,
  options: { syncToken?: string | undefined } = {},
): Promise<PassResult & { items: T[] }> {
  const items: T[] = [];
  const pass = await forEachPage(fetchPage, (results) => void items.push(...results), options);
  return { ...pass, items };
}

export interface SyncResult<T> {
  /** Every record of the pass that completed; empty when `onPage` was given. */
  items: T[];
  /** Token to store for the next incremental pass. */
  syncToken: string | undefined;
  /** `incremental` when the stored token was accepted; `full` when none was stored or it was dropped. */
  mode: 'full' | 'incremental';
  /** Ashby error code that made the client drop the stored token; undefined when it was kept. */
  fallbackReason: SyncFallbackReason | undefined;
  /** True when a pass restarted from its first page after an expired or invalid cursor. */
  restartedAfterCursorError: boolean;
  pages: number;
}

export interface SyncOptions<T> {
  /**
   * Receives each page instead of collecting them. After a fallback the full pass sends every
   * record again, so pages already handled in the rejected pass are repeated; handle pages as
   * upserts.
   */
  onPage?: (results: T[], mode: 'full' | 'incremental') => void | Promise<void>;
}

/**
 * Brings a collection up to date: an incremental pass with `storedToken` when there is one, a
 * full pass otherwise or after Ashby rejects the token. A cursor that expires in the middle of a
 * pass restarts that pass once.
 */
export async function syncCollection<T>(
  fetchPage: FetchPage<T>,
  storedToken: string | undefined,
  options: SyncOptions<T> = {},
): Promise<SyncResult<T>> {
  let mode: 'full' | 'incremental' = storedToken ? 'incremental' : 'full';
  let token = storedToken || undefined;
  let fallbackReason: SyncFallbackReason | undefined;
  let restartedAfterCursorError = false;
  let pagesBefore = 0;

  for (;;) {
    const items: T[] = [];
    let pagesThisPass = 0;
    const onPage = async (results: T[]) => {
      pagesThisPass += 1;
      if (options.onPage) await options.onPage(results, mode);
      else items.push(...results);
    };
    try {
      const pass = await forEachPage(fetchPage, onPage, { syncToken: token });
      return {
        items,
        syncToken: pass.syncToken,
        mode,
        fallbackReason,
        restartedAfterCursorError,
        pages: pagesBefore + pass.pages,
      };
    } catch (error) {
      pagesBefore += pagesThisPass;
      const code = ashbyCodeOf(error);
      if (mode === 'incremental' && code && (SYNC_FALLBACK_CODES as readonly string[]).includes(code)) {
        fallbackReason = code as SyncFallbackReason;
        mode = 'full';
        token = undefined;
        continue;
      }
      if (!restartedAfterCursorError && code && (CURSOR_RESTART_CODES as readonly string[]).includes(code)) {
        restartedAfterCursorError = true;
        continue;
      }
      throw error;
    }
  }
}
