import { describe, expect, it } from 'vitest';
import {
  AshbyApiError,
  AshbyAuthError,
  AshbyCancelledError,
  AshbyOutcomeUnknownError,
  AshbyPermissionError,
  AshbyRateLimitError,
  AshbyTransientError,
} from '../../../core/ashby/errors.js';
import { backoffDelay, classifyFailure } from '../../../core/engine/failures.js';

const POLICY = { baseMs: 1_000, maxMs: 60_000 };
const CONTEXT = { endpoint: 'candidate.create', label: 'Acme' };

describe('classifyFailure', () => {
  it('retries transient failures with backoff', () => {
    const action = classifyFailure(
      new AshbyTransientError('server_error', { ...CONTEXT, status: 503 }),
      3,
      POLICY,
    );
    expect(action.kind).toBe('retry');
    if (action.kind !== 'retry') return;
    expect(action.countsAsAttempt).toBe(true);
    expect(action.network).toBe(false);
    expect(action.delayMs).toBeGreaterThanOrEqual(2_000);
    expect(action.delayMs).toBeLessThanOrEqual(4_000);
  });

  it('marks network failures as offline', () => {
    const action = classifyFailure(new AshbyTransientError('network', CONTEXT), 1, POLICY);
    expect(action.kind).toBe('retry');
    if (action.kind === 'retry') expect(action.network).toBe(true);
  });

  it('waits out a rate limit without counting an attempt', () => {
    const action = classifyFailure(new AshbyRateLimitError(CONTEXT, 2_000, false), 5, POLICY);
    expect(action).toMatchObject({ kind: 'retry', delayMs: 2_000, countsAsAttempt: false });
  });

  it('retries an unknown outcome soon', () => {
    const action = classifyFailure(
      new AshbyOutcomeUnknownError('connection_lost', CONTEXT),
      4,
      POLICY,
    );
    expect(action).toMatchObject({ kind: 'retry', delayMs: 1_000 });
  });

  it('disconnects on a rejected key', () => {
    const action = classifyFailure(
      new AshbyAuthError('key_rejected', { ...CONTEXT, status: 403 }),
      1,
      POLICY,
    );
    expect(action.kind).toBe('disconnect');
    expect(action.message).toContain('rejected the API key for Acme');
  });

  it('names a missing permission', () => {
    const action = classifyFailure(new AshbyPermissionError(CONTEXT, 'candidatesWrite'), 1, POLICY);
    expect(action).toMatchObject({ kind: 'needs_attention', code: 'ashby_missing_permission' });
    expect(action.message).toContain('missing permission candidatesWrite');
  });

  it('parks a mapping error with Ashby code and message', () => {
    const error = new AshbyApiError(
      { ashbyCode: 'interview_stage_not_found', ashbyMessage: 'Interview stage not found' },
      { endpoint: 'application.changeStage', requestId: 'req-1' },
    );
    const action = classifyFailure(error, 1, POLICY);
    expect(action).toMatchObject({
      kind: 'needs_attention',
      code: 'ashby_interview_stage_not_found',
    });
    expect(action.message).toBe(
      'Ashby rejected application.changeStage with interview_stage_not_found: Interview stage not found',
    );
  });

  it('releases a cancelled call', () => {
    expect(classifyFailure(new AshbyCancelledError(CONTEXT), 1, POLICY).kind).toBe('release');
  });

  it('parks an unexpected error', () => {
    const action = classifyFailure(new Error('boom'), 1, POLICY);
    expect(action).toMatchObject({
      kind: 'needs_attention',
      code: 'internal_error',
      message: 'unexpected error: boom',
    });
  });
});

describe('backoffDelay', () => {
  it('doubles up to the maximum', () => {
    const half = (): number => 0.5;
    expect(backoffDelay(1, POLICY, half)).toBe(750);
    expect(backoffDelay(2, POLICY, half)).toBe(1_500);
    expect(backoffDelay(30, POLICY, half)).toBe(45_000);
  });

  it('stays within half to full ceiling', () => {
    expect(backoffDelay(3, POLICY, () => 0)).toBe(2_000);
    expect(backoffDelay(3, POLICY, () => 0.999999)).toBe(4_000);
  });
});
