// Every error class of the client, produced by the sandbox over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AshbyCallEvent } from '../../../core/ashby/index.js';
import { createAshbyClient } from '../../../core/ashby/index.js';
import type { Harness } from './sandbox-harness.js';
import { startHarness } from './sandbox-harness.js';

const TENANT = 'Northwind Robotics';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.sandbox.close();
});
beforeEach(() => {
  harness.sandbox.clearFaults();
});

function client(options: Partial<Parameters<typeof createAshbyClient>[0]> = {}) {
  return createAshbyClient({
    baseUrl: harness.url,
    apiKey: harness.keyOf(TENANT),
    label: TENANT,
    retry: { baseDelayMs: 20 },
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('client errors against the sandbox', () => {
  it('maps success:false to an api error', async () => {
    const events: AshbyCallEvent[] = [];
    const error = await failure(
      client({ onResponse: (event) => events.push(event) }).application.info({
        applicationId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    expect(error.kind).toBe('api');
    expect(error.ashbyCode).toBe('application_not_found');
    expect(error.status).toBe(200);
    expect(typeof error.requestId).toBe('string');
    expect(error.requestId).toBe(events[0]?.requestId);
  });

  it('maps a missing key to 401', async () => {
    const error = await failure(client({ apiKey: '' }).job.list());
    expect(error.kind).toBe('auth');
    expect(error.situation).toBe('missing_key');
    expect(error.status).toBe(401);
  });

  it('maps a revoked key to 403', async () => {
    const apiKey = harness.sandbox.createKey(TENANT);
    await harness.admin('keys/revoke', { apiKey });
    const error = await failure(client({ apiKey }).job.list());
    expect(error.kind).toBe('auth');
    expect(error.situation).toBe('key_rejected');
    expect(error.message).toContain(`Ashby rejected the API key for ${TENANT} (HTTP 403)`);
  });

  it('names a missing permission', async () => {
    const apiKey = harness.sandbox.createKey(TENANT);
    await harness.admin('keys/permissions', {
      apiKey,
      permissions: ['candidatesRead', 'jobsRead', 'interviewsRead', 'hiringProcessMetadataRead', 'apiKeysRead'],
    });
    const limited = client({ apiKey });

    const error = await failure(limited.candidate.create({ name: 'Jane Roe' }));
    expect(error.kind).toBe('permission');
    expect(error.permission).toBe('candidatesWrite');
    expect(error.message).toContain('missing permission candidatesWrite for candidate.create');

    const reads = await limited.candidate.search({ email: 'jane.roe@example.com' });
    expect(reads.results.length).toBe(1);
  });

  it('retries a read after 5xx', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'job.list', kind: 'http_500', times: 2 });
    harness.sandbox.resetCallCounts(TENANT);
    const result = await client().job.list();
    expect(result.meta.attempts).toBe(3);
    expect(result.results.length).toBeGreaterThan(0);
    expect(harness.sandbox.callCounts(TENANT).byEndpoint['job.list']).toBe(3);
  });

  it('does not retry a write after 5xx', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'candidate.create', kind: 'http_500', times: 1 });
    harness.sandbox.resetCallCounts(TENANT);
    const error = await failure(client().candidate.create({ name: 'Five Hundred Write' }));
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(500);
    expect(harness.sandbox.callCounts(TENANT).byEndpoint['candidate.create']).toBe(1);
    const state = await harness.state(TENANT);
    expect(state.candidates.some((candidate) => candidate.name === 'Five Hundred Write')).toBe(false);
  });

  it('retries a failed candidate lookup', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'candidate.search', kind: 'http_500', times: 1 });
    const result = await client().candidate.search({ email: 'jane.roe@example.com' });
    expect(result.meta.attempts).toBe(2);
    expect(result.results.map((candidate) => candidate.name)).toEqual(['Jane Roe']);
  });

  it('retries a read that timed out', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'candidate.search', kind: 'timeout', times: 1 });
    const result = await client({ timeoutMs: 300 }).candidate.search({ email: 'jane.roe@example.com' });
    expect(result.meta.attempts).toBe(2);
    expect(result.results[0]?.name).toBe('Jane Roe');
  });

  it('reports a timed-out write as outcome unknown', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'candidate.create', kind: 'timeout', times: 1 });
    const error = await failure(client({ timeoutMs: 300 }).candidate.create({ name: 'Slow Write' }));
    expect(error.kind).toBe('outcome_unknown');
    expect(error.reason).toBe('timeout');
  });

  it('reports commit_then_drop as outcome unknown', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'candidate.create', kind: 'commit_then_drop', times: 1 });
    const error = await failure(client().candidate.create({ name: 'Dropped Response' }));
    expect(error.kind).toBe('outcome_unknown');
    expect(error.reason).toBe('connection_lost');
    // The write did happen: this is exactly why the error must not say "failed".
    const state = await harness.state(TENANT);
    expect(state.candidates.filter((candidate) => candidate.name === 'Dropped Response')).toHaveLength(1);
  });

  it('retries a read whose response dropped', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'source.list', kind: 'commit_then_drop', times: 1 });
    const result = await client().source.list();
    expect(result.meta.attempts).toBe(2);
  });

  it('cancels a slow call', async () => {
    await harness.fault({ tenant: TENANT, endpoint: 'job.list', kind: 'latency', ms: 3000, times: 1 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(client().job.list({}, { signal: controller.signal }));
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects unknown ids with their codes', async () => {
    const error = await failure(client().candidate.info({ id: '00000000-0000-4000-8000-000000000000' }));
    expect(error.kind).toBe('api');
    expect(error.ashbyCode).toBe('candidate_not_found');
  });
});
