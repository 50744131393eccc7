import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { adminPost, callAshby, type Json } from './http.js';

describe('sandbox auth and transport', () => {
  let sandbox: Sandbox;
  let apiKey: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
    apiKey = sandbox.tenants[0]!.apiKey;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('lists the three demo tenants with opaque keys', () => {
    expect(sandbox.tenants.map((tenant) => tenant.name)).toEqual(['Northwind Robotics', 'Acme Health', 'Globex Logistics']);
    for (const tenant of sandbox.tenants) expect(tenant.apiKey).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(new Set(sandbox.tenants.map((tenant) => tenant.apiKey)).size).toBe(3);
  });

  it('returns 401 without an Authorization header', async () => {
    const reply = await callAshby(sandbox.url, null, 'job.list');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('x-ashby-request-id')).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('returns 401 for a non-Basic header', async () => {
    const reply = await callAshby(sandbox.url, null, 'job.list', {}, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(reply.status).toBe(401);
  });

  it('returns 403 for an unknown key', async () => {
    const reply = await callAshby(sandbox.url, 'not-a-real-key', 'job.list');
    expect(reply.status).toBe(403);
    expect((reply.body as Json)['errorInfo']['code']).not.toBe('missing_endpoint_permission');
  });

  it('returns 403 after the key is revoked', async () => {
    const key = sandbox.createKey('Acme Health');
    expect((await callAshby(sandbox.url, key, 'apiKey.info')).status).toBe(200);
    const revoke = await adminPost(sandbox.url, 'keys/revoke', { apiKey: key });
    expect(revoke.status).toBe(200);
    const reply = await callAshby(sandbox.url, key, 'apiKey.info');
    expect(reply.status).toBe(403);
    expect((reply.body as Json)['errorInfo']['message']).toMatch(/deactivated/);
  });

  it('names the missing permission in a 403', async () => {
    const key = sandbox.createKey('Acme Health', { permissions: ['candidatesRead', 'jobsRead'] });
    expect((await callAshby(sandbox.url, key, 'candidate.list')).status).toBe(200);
    const reply = await callAshby(sandbox.url, key, 'candidate.create', { name: 'Blocked Person' });
    expect(reply.status).toBe(403);
    const body = reply.body as Json;
    expect(body['errorInfo']['code']).toBe('missing_endpoint_permission');
    expect(body['errorInfo']['message']).toContain('candidatesWrite');
    expect(body['errors']).toEqual(['missing_endpoint_permission']);
    expect(body['errorInfo']['requestId']).toBe(reply.headers.get('x-ashby-request-id'));
  });

  it('applies permissions changed through the admin route', async () => {
    const key = sandbox.createKey('Acme Health', { permissions: ['jobsRead'] });
    expect((await callAshby(sandbox.url, key, 'source.list')).status).toBe(403);
    const change = await adminPost(sandbox.url, 'keys/permissions', { apiKey: key, permissions: ['jobsRead', 'hiringProcessMetadataRead'] });
    expect(change.status).toBe(200);
    expect((await callAshby(sandbox.url, key, 'source.list')).status).toBe(200);
    const info = await callAshby(sandbox.url, key, 'apiKey.info');
    expect(info.status).toBe(403);
  });

  it('reports scopes as module:read|write', async () => {
    const key = sandbox.createKey('Globex Logistics', { permissions: ['apiKeysRead', 'candidatesRead', 'candidatesWrite', 'hiringProcessMetadataRead'] });
    const reply = await callAshby(sandbox.url, key, 'apiKey.info');
    expect((reply.body as Json)['results']['scopes']).toEqual(['apiKeys:read', 'candidates:read', 'candidates:write', 'hiringProcessMetadata:read']);
  });

  it('rejects an unknown permission name', async () => {
    const key = sandbox.createKey('Globex Logistics');
    const change = await adminPost(sandbox.url, 'keys/permissions', { apiKey: key, permissions: ['candidates:read'] });
    expect(change.status).toBe(400);
  });

  it('accepts POST only', async () => {
    const reply = await callAshby(sandbox.url, apiKey, 'job.list', undefined, { method: 'GET' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
  });

  it('returns 404 for an unknown endpoint', async () => {
    const reply = await callAshby(sandbox.url, apiKey, 'candidate.teleport');
    expect(reply.status).toBe(404);
  });

  it('rejects a body that is not JSON', async () => {
    const wrongType = await callAshby(sandbox.url, apiKey, 'job.list', undefined, { rawBody: '{}', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(200);
    expect((wrongType.body as Json)['errorInfo']['code']).toBe('invalid_input');
    const malformed = await callAshby(sandbox.url, apiKey, 'job.list', undefined, { rawBody: '{"limit":', headers: { 'content-type': 'application/json' } });
    expect((malformed.body as Json)['errorInfo']['code']).toBe('invalid_input');
  });

  it('treats an empty JSON body as {}', async () => {
    const reply = await callAshby(sandbox.url, apiKey, 'source.list', undefined, { rawBody: '', headers: { 'content-type': 'application/json' } });
    expect((reply.body as Json)['success']).toBe(true);
  });

  it('keeps tenants apart', async () => {
    const acmeKey = sandbox.tenants[1]!.apiKey;
    const northwindJobs = (await callAshby(sandbox.url, apiKey, 'job.list')).body as Json;
    const jobId = northwindJobs['results'][0]['id'];
    const reply = await callAshby(sandbox.url, acmeKey, 'job.info', { id: jobId });
    expect((reply.body as Json)['errorInfo']['code']).toBe('job_not_found');
  });

  it('hides confidential jobs without the toggle', async () => {
    const plainKey = sandbox.createKey('Northwind Robotics', { confidentialAccess: false });
    const withoutToggle = (await callAshby(sandbox.url, plainKey, 'job.list')).body as Json;
    expect(withoutToggle['results'].map((job: Json) => job['title'])).not.toContain('Staff ML Engineer');

    const withToggle = (await callAshby(sandbox.url, apiKey, 'job.list')).body as Json;
    const ml = withToggle['results'].find((job: Json) => job['title'] === 'Staff ML Engineer');
    expect(ml['confidential']).toBe(true);
    const hidden = await callAshby(sandbox.url, plainKey, 'job.info', { id: ml['id'] });
    expect((hidden.body as Json)['errorInfo']['code']).toBe('job_not_found');

    const mlApplications = (await callAshby(sandbox.url, apiKey, 'application.list', { jobId: ml['id'] })).body as Json;
    expect(mlApplications['results'].length).toBeGreaterThan(0);
    const hiddenApplications = (await callAshby(sandbox.url, plainKey, 'application.list', { jobId: ml['id'] })).body as Json;
    expect(hiddenApplications['results']).toEqual([]);
    const applicationId = mlApplications['results'][0]['id'];
    const hiddenInfo = await callAshby(sandbox.url, plainKey, 'application.info', { applicationId });
    const candidateId = mlApplications['results'][0]['candidate']['id'];
    const hiddenCandidate = await callAshby(sandbox.url, plainKey, 'candidate.info', { id: candidateId });
    expect((hiddenCandidate.body as Json)['errorInfo']['code']).toBe('candidate_not_found');
    expect((hiddenInfo.body as Json)['errorInfo']['code']).toBe('application_not_found');
  });

  it('lets demo keys see confidential jobs', async () => {
    const jobs = (await callAshby(sandbox.url, apiKey, 'job.list')).body as Json;
    expect(jobs['results'].map((job: Json) => job['title'])).toContain('Staff ML Engineer');
  });

  it('hides Draft jobs unless requested', async () => {
    const defaults = (await callAshby(sandbox.url, apiKey, 'job.list')).body as Json;
    expect(defaults['results'].map((job: Json) => job['status'])).not.toContain('Draft');
    const drafts = (await callAshby(sandbox.url, apiKey, 'job.list', { status: ['Draft'] })).body as Json;
    expect(drafts['results'].map((job: Json) => job['title'])).toEqual(['Head of Sales']);
  });
});
