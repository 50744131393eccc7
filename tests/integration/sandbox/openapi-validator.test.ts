// Checks the OpenAPI helper itself, so a contract test that passes means something.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ASHBY_OPENAPI_PATH, loadAshbyOpenApi } from './openapi.js';

const RECORDED_DIR = path.resolve(path.dirname(ASHBY_OPENAPI_PATH), 'ashby-recorded');

/** Recordings whose `currentInterviewStage` is trimmed to `{ id }` or `{ id, title }`, probably when they were recorded. */
const TRIMMED_RECORDINGS = ['change-application-source.json', 'create-application.json', 'update-application.json'];

interface Recording {
  endpoint: string;
  request: unknown;
  response: unknown;
}

function recordings(): [string, Recording][] {
  return readdirSync(RECORDED_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, (JSON.parse(readFileSync(path.join(RECORDED_DIR, file), 'utf8')) as Recording[])[0]!]);
}

describe('OpenAPI helper', () => {
  const openApi = loadAshbyOpenApi();

  it.each(recordings())('recording %s validates unless trimmed', (file, recording) => {
    const endpoint = recording.endpoint.slice(1);
    expect(openApi.validateRequest(endpoint, recording.request).errors).toEqual([]);
    const result = openApi.validateResponse(endpoint, recording.response);
    if (TRIMMED_RECORDINGS.includes(file)) {
      expect(result.valid).toBe(false);
      expect(result.errors.join('\n')).toContain('currentInterviewStage');
    } else {
      expect(result.errors).toEqual([]);
    }
  });

  it('accepts null for an optional property', () => {
    const result = openApi.validateResponse('apiKey.info', { success: true, results: { title: null, scopes: [] } });
    expect(result.errors).toEqual([]);
  });

  it('rejects null for a required property', () => {
    const result = openApi.validateResponse('source.list', {
      success: true,
      moreDataAvailable: false,
      results: [{ id: '6f017926-398c-4cd0-8b9b-aacc921015e3', title: null, isArchived: false }],
    });
    expect(result.valid).toBe(false);
  });

  it('rejects null results when allOf requires them', () => {
    expect(openApi.validateResponse('archiveReason.list', { success: true, results: null }).valid).toBe(false);
  });

  it('rejects a wrong enum value and a bad uuid', () => {
    const job = { success: true, results: { id: 'not-a-uuid', title: 'T', confidential: false, status: 'Paused', employmentType: 'FullTime', updatedAt: '2026-01-01T00:00:00.000Z' } };
    const result = openApi.validateResponse('job.info', job);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain('/results/id');
    expect(result.errors.join('\n')).toContain('/results/status');
  });

  it('validates requests strictly', () => {
    expect(openApi.validateRequest('candidate.create', { email: 'a@example.com' }).valid).toBe(false);
    expect(openApi.validateRequest('candidate.create', { name: 'A', email: null }).valid).toBe(false);
    expect(openApi.validateRequest('candidate.create', { name: 'A', email: 'a@example.com' }).valid).toBe(true);
  });

  it('validates the error envelope', () => {
    expect(openApi.validateErrorEnvelope({ success: false, errors: ['x'], errorInfo: { code: 'x' } }).valid).toBe(true);
    expect(openApi.validateErrorEnvelope({ success: false, errorInfo: { code: 'x' } }).valid).toBe(false);
  });

  it('rejects an endpoint the document does not have', () => {
    expect(() => openApi.validateResponse('candidate.teleport', {})).toThrow(/no path/);
  });
});
