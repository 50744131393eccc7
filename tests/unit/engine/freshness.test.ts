import { describe, expect, it } from 'vitest';
import {
  AshbyApiError,
  AshbyOutcomeUnknownError,
  AshbyRateLimitError,
  AshbyTransientError,
} from '../../../core/ashby/errors.js';
import { createFreshness, planChanged } from '../../../core/engine/freshness.js';

const CONTEXT = { endpoint: 'application.create', label: 'Acme' };

function setup() {
  let now = 1_000_000;
  const clock = { now: () => now };
  const freshness = createFreshness(clock, { planMaxAgeMs: 600_000, indexMaxAgeMs: 300_000 });
  return {
    freshness,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('freshness', () => {
  it('plan trusted until its limit', () => {
    const { freshness, advance } = setup();
    expect(freshness.planIsFresh(1, 'job-a')).toBe(false);
    freshness.notePlanRead(1, 'job-a');
    advance(599_999);
    expect(freshness.planIsFresh(1, 'job-a')).toBe(true);
    expect(freshness.planIsFresh(2, 'job-a')).toBe(false);
    advance(1);
    expect(freshness.planIsFresh(1, 'job-a')).toBe(false);
  });

  it('forgotten plan is stale', () => {
    const { freshness } = setup();
    freshness.notePlanRead(1, 'job-a');
    freshness.forgetPlan(1, 'job-a');
    expect(freshness.planIsFresh(1, 'job-a')).toBe(false);
  });

  it('streams trusted until their limit', () => {
    const { freshness, advance } = setup();
    freshness.noteStreamRead(1, 'candidates');
    advance(200_000);
    freshness.noteStreamRead(1, 'applications:job-a');
    advance(100_000);
    expect(freshness.streamIsFresh(1, 'candidates')).toBe(false);
    expect(freshness.streamIsFresh(1, 'applications:job-a')).toBe(true);
  });

  it('failure marks client index stale', () => {
    const { freshness } = setup();
    for (const error of [
      new AshbyOutcomeUnknownError('connection_lost', CONTEXT),
      new AshbyTransientError('server_error', { ...CONTEXT, status: 503 }),
      new AshbyApiError({ ashbyCode: 'application_already_exists' }, CONTEXT),
      new Error('disk full'),
    ]) {
      freshness.noteStreamRead(1, 'candidates');
      freshness.noteStreamRead(2, 'candidates');
      freshness.noteFailure(1, error);
      expect(freshness.streamIsFresh(1, 'candidates')).toBe(false);
      expect(freshness.streamIsFresh(2, 'candidates')).toBe(true);
    }
  });

  it('rate limit keeps index fresh', () => {
    const { freshness } = setup();
    freshness.noteStreamRead(1, 'candidates');
    freshness.noteFailure(1, new AshbyRateLimitError(CONTEXT, 2_000, false));
    expect(freshness.streamIsFresh(1, 'candidates')).toBe(true);
  });

  it('plan change codes recognised', () => {
    expect(
      planChanged(new AshbyApiError({ ashbyCode: 'interview_stage_not_found' }, CONTEXT)),
    ).toBe(true);
    expect(planChanged(new AshbyApiError({ ashbyCode: 'job_not_open' }, CONTEXT))).toBe(true);
    expect(planChanged(new AshbyApiError({ ashbyCode: 'invalid_email' }, CONTEXT))).toBe(false);
    expect(planChanged(new AshbyTransientError('network', CONTEXT))).toBe(false);
  });
});
