import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { adminGet, adminPost, callAshby, manualClock, type Json } from './http.js';

const TENANT = 'Northwind Robotics';

describe('sandbox faults', () => {
  let sandbox: Sandbox;
  let apiKey: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo', faultSeed: 42 });
    apiKey = sandbox.tenants[0]!.apiKey;
  });

  afterEach(() => {
    sandbox.clearFaults();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('adds latency', async () => {
    await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: 'job.list', kind: 'latency', ms: 300 });
    const started = performance.now();
    const reply = await callAshby(sandbox.url, apiKey, 'job.list');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(reply.body['success']).toBe(true);
  });

  it('fails the next N calls with 500', async () => {
    const added = await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: 'source.list', kind: 'http_500', times: 2 });
    expect(added.status).toBe(200);
    expect((await callAshby(sandbox.url, apiKey, 'source.list')).status).toBe(500);
    expect((await callAshby(sandbox.url, apiKey, 'source.list')).status).toBe(500);
    expect((await callAshby(sandbox.url, apiKey, 'source.list')).status).toBe(200);
  });

  it('matches tenant and endpoint', async () => {
    sandbox.addFault({ tenant: TENANT, endpoint: 'source.list', kind: 'http_500' });
    expect((await callAshby(sandbox.url, apiKey, 'user.list')).status).toBe(200);
    expect((await callAshby(sandbox.url, sandbox.tenants[1]!.apiKey, 'source.list')).status).toBe(200);
    expect((await callAshby(sandbox.url, apiKey, 'source.list')).status).toBe(500);
  });

  it('holds a timed-out request open', async () => {
    sandbox.addFault({ tenant: TENANT, endpoint: 'candidate.list', kind: 'timeout', times: 1 });
    const started = performance.now();
    await expect(callAshby(sandbox.url, apiKey, 'candidate.list', {}, { signal: AbortSignal.timeout(400) })).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await callAshby(sandbox.url, apiKey, 'candidate.list')).status).toBe(200);
  });

  it('commits then drops the response', async () => {
    sandbox.addFault({ tenant: TENANT, endpoint: 'candidate.create', kind: 'commit_then_drop', times: 1 });
    await expect(callAshby(sandbox.url, apiKey, 'candidate.create', { name: 'Ghost Write', email: 'ghost.write@example.com' })).rejects.toThrow();
    const found = await callAshby(sandbox.url, apiKey, 'candidate.search', { email: 'ghost.write@example.com' });
    expect((found.body as Json)['results']).toHaveLength(1);
  });

  it('returns 429 with Retry-After', async () => {
    sandbox.addFault({ tenant: TENANT, endpoint: '*', kind: 'rate_limit', times: 1, ms: 3000 });
    const reply = await callAshby(sandbox.url, apiKey, 'job.list');
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('3');
    expect(reply.headers.get('x-ratelimit-scope')).toBeNull();
  });

  it('returns partner-scope 429s', async () => {
    sandbox.addFault({ tenant: '*', endpoint: '*', kind: 'partner_rate_limit', times: 1 });
    const reply = await callAshby(sandbox.url, apiKey, 'job.list');
    expect(reply.status).toBe(429);
    expect(reply.headers.get('x-ratelimit-scope')).toBe('integration-partner');
    expect(reply.headers.get('retry-after')).toBe('1');
  });

  it('repeats rate-based faults for one seed', async () => {
    async function pattern(): Promise<number[]> {
      const run = await startSandbox({ seed: 'empty', faultSeed: 7 });
      try {
        run.addFault({ tenant: '*', endpoint: 'source.list', kind: 'http_500', rate: 0.5 });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await callAshby(run.url, run.tenants[0]!.apiKey, 'source.list')).status);
        return statuses;
      } finally {
        await run.close();
      }
    }
    const first = await pattern();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('lists and clears faults over HTTP', async () => {
    await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: 'job.info', kind: 'http_500' });
    const listed = await adminGet(sandbox.url, 'faults');
    expect((listed.body as Json)['faults']).toHaveLength(1);
    await adminPost(sandbox.url, 'faults/clear', { tenant: TENANT });
    expect(((await adminGet(sandbox.url, 'faults')).body as Json)['faults']).toEqual([]);
  });

  it('rejects an invalid fault', async () => {
    const unknownKind = await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: '*', kind: 'explode' });
    expect(unknownKind.status).toBe(400);
    const badRate = await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: '*', kind: 'http_500', rate: 2 });
    expect(badRate.status).toBe(400);
  });

  it('rejects a misspelled endpoint', async () => {
    const misspelled = await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: 'candidate.serch', kind: 'http_500' });
    expect(misspelled.status).toBe(400);
    const text = JSON.stringify(misspelled.body);
    expect(text).toContain('Unknown endpoint \\"candidate.serch\\"');
    expect(text).toContain('candidate.search');
    expect(text).toContain('file.upload');
    expect(((await adminGet(sandbox.url, 'faults')).body as Json)['faults']).toEqual([]);

    const upload = await adminPost(sandbox.url, 'faults', { tenant: TENANT, endpoint: 'file.upload', kind: 'http_500', times: 1 });
    expect(upload.status).toBe(200);
    await adminPost(sandbox.url, 'faults/clear', { tenant: TENANT });
  });

  it('state without tenant names the parameter', async () => {
    const reply = await adminGet(sandbox.url, 'state');
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('The tenant query parameter is missing');
  });
});

describe('sandbox rate limit', () => {
  it('limits each key per minute', async () => {
    const clock = manualClock('2026-06-01T12:00:10.000Z');
    const sandbox = await startSandbox({ seed: 'demo', rateLimitPerMinute: 3, clock });
    try {
      const [first, second] = sandbox.tenants;
      for (let i = 0; i < 3; i++) {
        const reply = await callAshby(sandbox.url, first!.apiKey, 'source.list');
        expect(reply.status).toBe(200);
        expect(reply.headers.get('x-ratelimit-limit')).toBe('3');
        expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
      }
      const limited = await callAshby(sandbox.url, first!.apiKey, 'source.list');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('50');
      expect((limited.body as Json)['errorInfo']['code']).toBe('rate_limit_exceeded');
      expect(limited.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2026-06-01T12:01:00.000Z') / 1000));

      expect((await callAshby(sandbox.url, second!.apiKey, 'source.list')).status).toBe(200);

      clock.advance(50_000);
      expect((await callAshby(sandbox.url, first!.apiKey, 'source.list')).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('sends no rate headers without a limit', async () => {
    const sandbox = await startSandbox({ seed: 'empty' });
    try {
      const reply = await callAshby(sandbox.url, sandbox.tenants[0]!.apiKey, 'source.list');
      expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
    } finally {
      await sandbox.close();
    }
  });

  it('adds latency to every call', async () => {
    const sandbox = await startSandbox({ seed: 'empty', latencyMs: 200 });
    try {
      const started = performance.now();
      await callAshby(sandbox.url, sandbox.tenants[0]!.apiKey, 'source.list');
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      await sandbox.close();
    }
  });
});
