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

  it('adds one caller listener for many attempts', () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const attempts = Array.from({ length: 30 }, () => attemptSignal(caller.signal, 1000));

    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort(new Error('stopping'));

    for (const attempt of attempts) expect(attempt.signal.aborted).toBe(true);
    for (const attempt of attempts) attempt.dispose();
  });

  it('leaves disposed attempts alone on abort', () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const finished = attemptSignal(caller.signal, 1000);
    const running = attemptSignal(caller.signal, 1000);

    finished.dispose();
    caller.abort();
    vi.advanceTimersByTime(1000);

    expect(finished.signal.aborted).toBe(false);
    expect(finished.timedOut).toBe(false);
    expect(running.signal.aborted).toBe(true);
    running.dispose();
  });
});
