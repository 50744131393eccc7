import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../core/ashby/backoff.js';

const policy = { baseDelayMs: 500, maxDelayMs: 4000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => 0.999999))).toEqual([500, 1000, 2000]);
  });

  it('never goes below half the ceiling', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([250, 500, 1000]);
  });

  it('caps at maxDelayMs', () => {
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(4000);
    expect(backoffDelay(10, policy, () => 0)).toBe(2000);
  });

  it('spreads delays with jitter', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(3, policy)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});
