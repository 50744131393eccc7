import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { callAshby, manualClock, type Json } from './http.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('sandbox pagination and sync tokens', () => {
  let sandbox: Sandbox;
  let apiKey: string;
  const clock = manualClock();

  async function list(endpoint: string, body: Json): Promise<Json> {
    const reply = await callAshby(sandbox.url, apiKey, endpoint, body);
    expect(reply.status).toBe(200);
    return reply.body as Json;
  }

  /** Follows cursors to the end; returns every record id and the final sync token. */
  async function fullPass(endpoint: string, body: Json = {}): Promise<{ ids: string[]; syncToken: string; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await list(endpoint, { ...body, ...(cursor ? { cursor } : {}) });
      expect(page['success']).toBe(true);
      pages += 1;
      ids.push(...page['results'].map((record: Json) => record['id']));
      if (!page['moreDataAvailable']) {
        expect(page).not.toHaveProperty('nextCursor');
        return { ids, syncToken: page['syncToken'], pages };
      }
      expect(page).not.toHaveProperty('syncToken');
      cursor = page['nextCursor'];
    }
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'empty', clock, incrementalSyncMaxRecords: 20 });
    apiKey = sandbox.addTenant({ name: 'Paging Org', seed: 'large', candidates: 250 }).apiKey;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('pages through every candidate once', async () => {
    const pass = await fullPass('candidate.list', { limit: 100 });
    expect(pass.pages).toBe(3);
    expect(pass.ids).toHaveLength(250);
    expect(new Set(pass.ids).size).toBe(250);
    expect(pass.syncToken).toEqual(expect.any(String));
  });

  it('caps limit at 100 and defaults to 100', async () => {
    const big = await list('candidate.list', { limit: 500 });
    expect(big['results']).toHaveLength(100);
    const defaulted = await list('candidate.list', {});
    expect(defaulted['results']).toHaveLength(100);
    const small = await list('candidate.list', { limit: 7 });
    expect(small['results']).toHaveLength(7);
  });

  it('rejects a zero limit', async () => {
    const reply = await list('candidate.list', { limit: 0 });
    expect(reply['errorInfo']['code']).toBe('invalid_input');
  });

  it('gives opaque cursors', async () => {
    const page = await list('candidate.list', { limit: 10 });
    expect(page['nextCursor']).toMatch(/^[A-Za-z0-9_-]{100}$/);
    const again = await list('candidate.list', { limit: 10 });
    expect(again['nextCursor']).not.toBe(page['nextCursor']);
  });

  it('returns only changes after a sync token', async () => {
    const pass = await fullPass('candidate.list');
    const empty = await list('candidate.list', { syncToken: pass.syncToken });
    expect(empty['results']).toEqual([]);
    expect(empty['moreDataAvailable']).toBe(false);

    const created = (await list('candidate.create', { name: 'Fresh Candidate', email: 'fresh@example.com' }))['results'];
    const someone = pass.ids[42]!;
    await list('candidate.update', { candidateId: someone, name: 'Renamed Candidate' });
    const changes = await list('candidate.list', { syncToken: empty['syncToken'] });
    expect(changes['results'].map((candidate: Json) => candidate['id']).sort()).toEqual([created['id'], someone].sort());

    const later = await list('candidate.list', { syncToken: changes['syncToken'] });
    expect(later['results']).toEqual([]);
  });

  it('includes application changes in application.list syncs', async () => {
    const pass = await fullPass('application.list');
    const applications = await list('application.list', { limit: 1 });
    const application = applications['results'][0];
    const stages = await list('interviewStage.list', { interviewPlanId: application['currentInterviewStage']['interviewPlanId'] });
    const replied = stages['results'].find((stage: Json) => stage['title'] === 'Replied');
    await list('application.changeStage', { applicationId: application['id'], interviewStageId: replied['id'] });
    const changes = await list('application.list', { syncToken: pass.syncToken });
    expect(changes['results'].map((record: Json) => record['id'])).toEqual([application['id']]);
  });

  it('rejects an unknown sync token', async () => {
    const reply = await list('candidate.list', { syncToken: 'made-up' });
    expect(reply['success']).toBe(false);
    expect(reply['errorInfo']['code']).toBe('sync_token_invalid');
  });

  it('rejects a token from another endpoint', async () => {
    const users = await list('user.list', {});
    const reply = await list('candidate.list', { syncToken: users['syncToken'] });
    expect(reply['errorInfo']['code']).toBe('sync_token_invalid');
  });

  it('expires a sync token after a month unused', async () => {
    const pass = await fullPass('job.list');
    clock.advance(31 * DAY_MS);
    const reply = await list('job.list', { syncToken: pass.syncToken });
    expect(reply['errorInfo']['code']).toBe('sync_token_expired');
  });

  it('rejects an incremental sync that is too large', async () => {
    const pass = await fullPass('candidate.list');
    for (let i = 0; i < 21; i++) await list('candidate.create', { name: `Bulk Candidate ${i}` });
    const reply = await list('candidate.list', { syncToken: pass.syncToken });
    expect(reply['errorInfo']['code']).toBe('incremental_sync_too_large');
    const afterFullSync = await fullPass('candidate.list');
    expect(afterFullSync.ids.length).toBeGreaterThan(270);
  });

  it('expires a cursor after an hour', async () => {
    const page = await list('candidate.list', { limit: 10 });
    clock.advance(61 * 60 * 1000);
    const reply = await list('candidate.list', { limit: 10, cursor: page['nextCursor'] });
    expect(reply['errorInfo']['code']).toBe('next_cursor_expired');
  });

  it('rejects a cursor sent with other filters', async () => {
    const page = await list('application.list', { limit: 5, status: 'Lead' });
    const reply = await list('application.list', { limit: 5, status: 'Active', cursor: page['nextCursor'] });
    expect(reply['errorInfo']['code']).toBe('invalid_next_cursor');
  });

  it('filters candidates by createdAfter', async () => {
    const cutoff = clock.now() - 10 * DAY_MS;
    const pass = await fullPass('candidate.list', { createdAfter: cutoff });
    const everyone = await fullPass('candidate.list');
    expect(pass.ids.length).toBeGreaterThan(0);
    expect(pass.ids.length).toBeLessThan(everyone.ids.length);
  });

  it('keeps listing non-paginated endpoints in one page', async () => {
    const sources = await list('source.list', {});
    expect(sources['moreDataAvailable']).toBe(false);
    expect(sources).not.toHaveProperty('nextCursor');
    const reasons = await list('archiveReason.list', {});
    expect(reasons).not.toHaveProperty('moreDataAvailable');
  });
});
