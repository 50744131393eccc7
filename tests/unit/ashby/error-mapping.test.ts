import { describe, expect, it } from 'vitest';
import { classifyFailure, classifyResponse, parseRetryAfter } from '../../../core/ashby/error-mapping.js';
import type { AshbyError } from '../../../core/ashby/errors.js';

const NOW = Date.parse('2026-12-04T20:00:00.000Z');

function classify(status: number, body: unknown, headers: Record<string, string> = {}, isWrite = false): AshbyError {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const result = classifyResponse(status, new Headers(headers), text, {
    endpoint: 'candidate.create',
    label: 'Acme',
    isWrite,
    nowMs: NOW,
  });
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

function socketError(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('classifyResponse', () => {
  it('passes a success body through', () => {
    const result = classifyResponse(200, new Headers({ 'x-ashby-request-id': 'req-1' }), '{"success":true,"results":{}}', {
      endpoint: 'apiKey.info',
      isWrite: false,
      nowMs: NOW,
    });
    expect(result).toMatchObject({ ok: true, requestId: 'req-1' });
  });

  it('maps success:false to an api error', () => {
    const error = classify(
      200,
      { success: false, errors: ['application_not_found'], errorInfo: { code: 'application_not_found', message: 'No such application', requestId: 'req-9' } },
    );
    expect(error.kind).toBe('api');
    expect(error).toHaveProperty('ashbyCode', 'application_not_found');
    expect(error).toHaveProperty('ashbyMessage', 'No such application');
    expect(error.requestId).toBe('req-9');
    expect(error.message).toContain('application_not_found');
    expect(error.message).toContain('Acme');
  });

  it('prefers the request id header', () => {
    const error = classify(200, { success: false, errorInfo: { code: 'x', requestId: 'body-id' } }, { 'x-ashby-request-id': 'header-id' });
    expect(error.requestId).toBe('header-id');
  });

  it('falls back to a string errors entry', () => {
    const error = classify(200, { success: false, errors: ['invalid_input'] });
    expect(error).toHaveProperty('ashbyCode', 'invalid_input');
  });

  it('falls back to an object errors entry', () => {
    const error = classify(200, { success: false, errors: [{ message: 'email is invalid', parameter: 'email' }] });
    expect(error.kind).toBe('api');
    expect(error).toHaveProperty('ashbyMessage', 'email is invalid');
  });

  it('maps 401 to a missing key', () => {
    const error = classify(401, 'Unauthorized');
    expect(error.kind).toBe('auth');
    expect(error).toHaveProperty('situation', 'missing_key');
    expect(error.code).toBe('ashby_missing_key');
  });

  it('maps 403 to a rejected key', () => {
    const error = classify(403, { success: false, errorInfo: { code: 'invalid_api_key' } });
    expect(error.kind).toBe('auth');
    expect(error).toHaveProperty('situation', 'key_rejected');
    expect(error.message).toContain('Ashby rejected the API key for Acme (HTTP 403)');
  });

  it('maps missing_endpoint_permission at 403', () => {
    const error = classify(403, { success: false, errors: ['missing_endpoint_permission'], errorInfo: { code: 'missing_endpoint_permission' } });
    expect(error.kind).toBe('permission');
    expect(error).toHaveProperty('permission', 'candidatesWrite');
    expect(error.message).toContain('missing permission candidatesWrite for candidate.create');
  });

  it('maps missing_endpoint_permission in plain text', () => {
    const error = classify(403, 'missing_endpoint_permission');
    expect(error.kind).toBe('permission');
  });

  it('maps missing_endpoint_permission at 200', () => {
    const error = classify(200, { success: false, errorInfo: { code: 'missing_endpoint_permission', message: 'requires the jobsRead permission' } });
    expect(error).toHaveProperty('permission', 'jobsRead');
  });

  it('reads Retry-After seconds on a 429', () => {
    const error = classify(429, { success: false }, { 'retry-after': '2' });
    expect(error.kind).toBe('rate_limit');
    expect(error).toHaveProperty('retryAfterMs', 2000);
    expect(error).toHaveProperty('partnerScope', false);
  });

  it('reads Retry-After as an HTTP date', () => {
    const error = classify(429, '', { 'retry-after': new Date(NOW + 5000).toUTCString() });
    expect(error).toHaveProperty('retryAfterMs', 5000);
  });

  it('marks a partner-scope 429', () => {
    const error = classify(429, '', { 'x-ratelimit-scope': 'integration-partner' });
    expect(error).toHaveProperty('partnerScope', true);
    expect(error).toHaveProperty('retryAfterMs', undefined);
  });

  it('maps 5xx to transient', () => {
    expect(classify(500, 'boom').kind).toBe('transient');
    expect(classify(503, 'busy', {}, true).kind).toBe('transient');
  });

  it('maps a gateway error on a write to outcome unknown', () => {
    expect(classify(504, 'gateway timeout', {}, true).kind).toBe('outcome_unknown');
    expect(classify(502, 'bad gateway', {}, false).kind).toBe('transient');
  });

  it('maps another 4xx to an api error', () => {
    const error = classify(404, 'Not Found');
    expect(error).toHaveProperty('ashbyCode', 'http_404');
    expect(error.status).toBe(404);
  });

  it('maps a non-JSON 200 to invalid response', () => {
    expect(classify(200, '<html>').kind).toBe('invalid_response');
    expect(classify(200, '').kind).toBe('invalid_response');
    expect(classify(200, { results: [] }).kind).toBe('invalid_response');
  });
});

describe('classifyFailure', () => {
  const base = { endpoint: 'candidate.create', label: 'Acme', timeoutMs: 30_000 };

  it('maps a read timeout to transient', () => {
    const error = classifyFailure(new Error('aborted'), { ...base, isWrite: false, timedOut: true });
    expect(error.kind).toBe('transient');
    expect(error.code).toBe('ashby_timeout');
  });

  it('maps a write timeout to outcome unknown', () => {
    const error = classifyFailure(new Error('aborted'), { ...base, isWrite: true, timedOut: true });
    expect(error.kind).toBe('outcome_unknown');
    expect(error.message).toContain('check Ashby before repeating it');
  });

  it('maps a reset write to outcome unknown', () => {
    const error = classifyFailure(socketError('ECONNRESET'), { ...base, isWrite: true, timedOut: false });
    expect(error.kind).toBe('outcome_unknown');
    expect(error).toHaveProperty('reason', 'connection_lost');
  });

  it('maps a refused write to transient', () => {
    const error = classifyFailure(socketError('ECONNREFUSED'), { ...base, isWrite: true, timedOut: false });
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('maps a reset read to transient', () => {
    const error = classifyFailure(socketError('UND_ERR_SOCKET'), { ...base, isWrite: false, timedOut: false });
    expect(error.kind).toBe('transient');
    expect(error.code).toBe('ashby_network_error');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, dates and junk', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter('0.5', NOW)).toBe(500);
    expect(parseRetryAfter(new Date(NOW - 1000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('later', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});
