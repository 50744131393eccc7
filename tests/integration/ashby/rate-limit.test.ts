// The client's rate limiting against the sandbox's 429s and x-ratelimit headers.
import { afterEach, describe, expect, it } from 'vitest';
import type { AshbyCallEvent } from '../../../core/ashby/index.js';
import { RateLimiterRegistry, createAshbyClient, keyIdFor } from '../../../core/ashby/index.js';
import type { Harness } from './sandbox-harness.js';
import { startHarness } from './sandbox-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.sandbox.close();
  harness = undefined;
});

interface TimedEvent extends AshbyCallEvent {
  at: number;
}

describe('client rate limiting against the sandbox', () => {
  it('waits out Retry-After, then succeeds', async () => {
    harness = await startHarness();
    const tenant = 'Acme Health';
    await harness.fault({ tenant, endpoint: 'candidate.search', kind: 'rate_limit', times: 1, ms: 1000 });
    const events: TimedEvent[] = [];
    const client = createAshbyClient({
      baseUrl: harness.url,
      apiKey: harness.keyOf(tenant),
      onResponse: (event) => events.push({ ...event, at: Date.now() }),
    });

    const result = await client.candidate.search({ email: 'lucas.moreau@example.net' });

    expect(result.results[0]?.name).toBe('Lucas Moreau');
    expect(result.meta.attempts).toBe(2);
    expect(events.map((event) => event.status)).toEqual([429, 200]);
    const waited = (events[1]?.at ?? 0) - (events[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it('pauses every key on a partner-scope 429', async () => {
    harness = await startHarness();
    const registry = new RateLimiterRegistry();
    const first = 'Acme Health';
    const second = 'Globex Logistics';
    await harness.fault({ tenant: first, endpoint: 'job.list', kind: 'partner_rate_limit', times: 1, ms: 1000 });

    const secondEvents: TimedEvent[] = [];
    const secondClient = createAshbyClient({
      baseUrl: harness.url,
      apiKey: harness.keyOf(second),
      limiter: registry,
      onResponse: (event) => secondEvents.push({ ...event, at: Date.now() }),
    });
    let secondCall: Promise<unknown> | undefined;
    let pausedAt = 0;
    const firstClient = createAshbyClient({
      baseUrl: harness.url,
      apiKey: harness.keyOf(first),
      limiter: registry,
      onResponse: (event) => {
        if (event.status !== 429) return;
        pausedAt = Date.now();
        // The other organisation's call starts while the partner-wide pause is in force.
        secondCall = secondClient.source.list();
      },
    });

    const result = await firstClient.job.list();
    await secondCall;

    expect(result.meta.attempts).toBe(2);
    expect(pausedAt).toBeGreaterThan(0);
    expect(secondEvents).toHaveLength(1);
    expect((secondEvents[0]?.at ?? 0) - pausedAt).toBeGreaterThanOrEqual(950);
  });

  it('slows only its own key on a per-key 429', async () => {
    harness = await startHarness();
    const registry = new RateLimiterRegistry();
    await harness.fault({ tenant: 'Acme Health', endpoint: 'job.list', kind: 'rate_limit', times: 1, ms: 2000 });
    const limited = createAshbyClient({ baseUrl: harness.url, apiKey: harness.keyOf('Acme Health'), limiter: registry });
    const other = createAshbyClient({ baseUrl: harness.url, apiKey: harness.keyOf('Globex Logistics'), limiter: registry });

    const slow = limited.job.list();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.job.list();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(registry.pausedUntil).toBe(0);
    await slow;
  });

  it('adopts the budget from x-ratelimit headers', async () => {
    harness = await startHarness({ rateLimitPerMinute: 3 });
    const tenant = 'Globex Logistics';
    const registry = new RateLimiterRegistry();
    const client = createAshbyClient({ baseUrl: harness.url, apiKey: harness.keyOf(tenant), limiter: registry });
    harness.sandbox.resetCallCounts(tenant);

    await client.source.list();
    const limiter = registry.forKey(keyIdFor(harness.keyOf(tenant)));
    expect(limiter.snapshot().limitPerMinute).toBe(3);
    await client.source.list();
    await client.source.list();

    // The budget is spent, so the client delays the fourth call itself instead of drawing a 429.
    const error = await client.source.list({}, { signal: AbortSignal.timeout(300) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(harness.sandbox.callCounts(tenant).byEndpoint['source.list']).toBe(3);
  });
});

describe('client under repeated 429s', () => {
  it('drops nothing when every tenth call is limited', async () => {
    harness = await startHarness();
    const tenant = 'Northwind Robotics';
    await harness.fault({ tenant, endpoint: 'candidate.search', kind: 'rate_limit', rate: 0.1, ms: 1000 });
    const statuses: (number | undefined)[] = [];
    const client = createAshbyClient({
      baseUrl: harness.url,
      apiKey: harness.keyOf(tenant),
      onResponse: (event) => statuses.push(event.status),
    });

    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.candidate.search({ email: 'jane.roe@example.com' })),
    );

    expect(results).toHaveLength(20);
    expect(results.every((result) => result.results[0]?.name === 'Jane Roe')).toBe(true);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
  });
});
