import { describe, expect, it } from 'vitest';
import type { Permit } from '../../../core/ashby/rate-limiter.js';
import { RateLimiterRegistry, parseRateLimitReset } from '../../../core/ashby/rate-limiter.js';
import { createManualClock } from './manual-clock.js';

function track(promise: Promise<Permit>) {
  const state: { permit: Permit | undefined; error: unknown; done: boolean } = {
    permit: undefined,
    error: undefined,
    done: false,
  };
  promise.then(
    (permit) => {
      state.permit = permit;
      state.done = true;
    },
    (error: unknown) => {
      state.error = error;
      state.done = true;
    },
  );
  return state;
}

describe('KeyRateLimiter', () => {
  it('holds requests beyond the per-minute budget', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry({ requestsPerMinute: 3, maxConcurrent: 10, ...time });
    const limiter = registry.forKey('key-a');

    const first = [track(limiter.acquire()), track(limiter.acquire()), track(limiter.acquire())];
    const fourth = track(limiter.acquire());
    await time.settle();
    expect(first.every((state) => state.done)).toBe(true);
    expect(fourth.done).toBe(false);

    await time.advance(59_999);
    expect(fourth.done).toBe(false);

    await time.advance(1);
    expect(fourth.done).toBe(true);
  });

  it('caps requests in flight per key', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry({ maxConcurrent: 2, ...time });
    const limiter = registry.forKey('key-a');

    const a = track(limiter.acquire());
    const b = track(limiter.acquire());
    const c = track(limiter.acquire());
    await time.settle();
    expect(a.done).toBe(true);
    expect(b.done).toBe(true);
    expect(c.done).toBe(false);
    expect(limiter.snapshot().inFlight).toBe(2);

    a.permit?.release();
    a.permit?.release(); // a second release must not free a second slot
    await time.settle();
    expect(c.done).toBe(true);
    expect(limiter.snapshot().inFlight).toBe(2);
  });

  it('serves waiters first in, first out', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry({ maxConcurrent: 1, ...time });
    const limiter = registry.forKey('key-a');
    const order: number[] = [];

    const first = await limiter.acquire();
    const waiting = [1, 2, 3].map((n) => limiter.acquire().then((permit) => (order.push(n), permit)));
    first.release();
    for (const pending of waiting) (await pending).release();

    expect(order).toEqual([1, 2, 3]);
  });

  it('pauses one key without pausing another', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry(time);
    const paused = registry.forKey('key-a');
    const other = registry.forKey('key-b');

    paused.pause(2000);
    const blocked = track(paused.acquire());
    const free = track(other.acquire());
    await time.settle();
    expect(free.done).toBe(true);
    expect(blocked.done).toBe(false);

    await time.advance(1999);
    expect(blocked.done).toBe(false);
    await time.advance(1);
    expect(blocked.done).toBe(true);
  });

  it('pauses every key on a registry-wide pause', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry(time);
    const a = registry.forKey('key-a');
    const b = registry.forKey('key-b');

    registry.pauseAll(5000);
    const waitingA = track(a.acquire());
    const waitingB = track(b.acquire());
    await time.advance(4999);
    expect(waitingA.done).toBe(false);
    expect(waitingB.done).toBe(false);

    await time.advance(1);
    expect(waitingA.done).toBe(true);
    expect(waitingB.done).toBe(true);
  });

  it('adopts the limit from response headers', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry({ maxConcurrent: 10, ...time });
    const limiter = registry.forKey('key-a');

    limiter.observeHeaders(new Headers({ 'x-ratelimit-limit': '2' }));
    expect(limiter.snapshot().limitPerMinute).toBe(2);
    const states = [track(limiter.acquire()), track(limiter.acquire()), track(limiter.acquire())];
    await time.settle();
    expect(states.map((state) => state.done)).toEqual([true, true, false]);
  });

  it('waits for the reset when remaining is zero', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry(time);
    const limiter = registry.forKey('key-a');

    limiter.observeHeaders(
      new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' }),
    );
    const waiting = track(limiter.acquire());
    await time.advance(6999);
    expect(waiting.done).toBe(false);
    await time.advance(1);
    expect(waiting.done).toBe(true);
  });

  it('rejects a cancelled waiter and serves the next', async () => {
    const time = createManualClock();
    const registry = new RateLimiterRegistry({ maxConcurrent: 1, ...time });
    const limiter = registry.forKey('key-a');
    const holder = await limiter.acquire();

    const controller = new AbortController();
    const cancelled = track(limiter.acquire(controller.signal));
    const next = track(limiter.acquire());
    controller.abort(new Error('stop'));
    await time.settle();
    expect(cancelled.done).toBe(true);
    expect((cancelled.error as Error).message).toBe('stop');
    expect(limiter.snapshot().queued).toBe(1);

    holder.release();
    await time.settle();
    expect(next.done).toBe(true);
    expect(limiter.snapshot().inFlight).toBe(1);
  });

  it('rejects at once for an aborted signal', async () => {
    const time = createManualClock();
    const limiter = new RateLimiterRegistry(time).forKey('key-a');
    const controller = new AbortController();
    controller.abort(new Error('already'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('already');
    expect(limiter.snapshot().inFlight).toBe(0);
  });
});

describe('parseRateLimitReset', () => {
  const now = 1_800_000_000_000;

  it('reads small numbers as seconds from now', () => {
    expect(parseRateLimitReset('30', now)).toBe(now + 30_000);
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(parseRateLimitReset(String(now / 1000 + 20), now)).toBe(now + 20_000);
    expect(parseRateLimitReset(String(now + 15_000), now)).toBe(now + 15_000);
  });

  it('caps a reset at one minute', () => {
    expect(parseRateLimitReset('+10000000001', now)).toBe(now + 60_000);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRateLimitReset(null, now)).toBeUndefined();
    expect(parseRateLimitReset('soon', now)).toBeUndefined();
  });
});
