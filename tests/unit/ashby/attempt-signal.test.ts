import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attemptSignal } from '../../../core/ashby/transport.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('attemptSignal', () => {
  it('aborts with the caller reason', () => {
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1000);

    caller.abort(new Error('stopping'));

    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('stopping');
    expect(attempt.timedOut).toBe(false);
    attempt.dispose();
  });

  it('aborts when the timeout passes', () => {
    vi.useFakeTimers();
    const attempt = attemptSignal(undefined, 200);

    vi.advanceTimersByTime(199);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('timed out after 200 ms');
  });

  it('starts aborted for an aborted caller', () => {
    const caller = new AbortController();
    caller.abort(new Error('already stopped'));

    const attempt = attemptSignal(caller.signal, 1000);

    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('already stopped');
    attempt.dispose();
  });

  it('leaves no listener on the caller after dispose', () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const attempts = Array.from({ length: 3 }, () => attemptSignal(caller.signal, 1000));
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(3);

    for (const attempt of attempts) attempt.dispose();
    caller.abort();
    vi.advanceTimersByTime(1000);

    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    for (const attempt of attempts) expect(attempt.signal.aborted).toBe(false);
  });
});
