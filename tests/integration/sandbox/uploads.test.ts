import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { callAshby, manualClock, type Json } from './http.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('sandbox resume uploads', () => {
  let sandbox: Sandbox;
  let apiKey: string;
  const clock = manualClock();

  async function ok(endpoint: string, body: Json): Promise<Json> {
    const reply = await callAshby(sandbox.url, apiKey, endpoint, body);
    expect(reply.body['success'], JSON.stringify(reply.body)).toBe(true);
    return (reply.body as Json)['results'];
  }

  async function newHandle(contentLength = PDF.length, fileUploadContext = 'CandidateResume'): Promise<Json> {
    return ok('file.createFileUploadHandle', { fileUploadContext, filename: 'cv.pdf', contentType: 'application/pdf', contentLength });
  }

  function form(fields: Record<string, string>, file: Buffer | null = PDF): FormData {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    if (file) body.append('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'cv.pdf');
    return body;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'empty', clock });
    apiKey = sandbox.tenants[0]!.apiKey;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('attaches a resume through a handle', async () => {
    const candidate = await ok('candidate.create', { name: 'Has Resume' });
    const handle = await newHandle();
    expect(handle['url']).toMatch(new RegExp(`^${sandbox.url}/_uploads/`));
    const upload = await fetch(handle['url'], { method: 'POST', body: form(handle['fields']) });
    expect(upload.status).toBe(204);
    const updated = await ok('candidate.uploadResume', { candidateId: candidate['id'], resumeHandle: handle['handle'] });
    expect(updated['resumeFileHandle']['name']).toBe('cv.pdf');
    expect(updated['fileHandles']).toHaveLength(1);
    const state = sandbox.state('Sandbox Org');
    const stored = state.candidates.find((entry) => entry['id'] === candidate['id'])!;
    expect(stored['resumeFileHandle']).toEqual(updated['resumeFileHandle']);
  });

  it('expires the upload URL after 10 minutes', async () => {
    const handle = await newHandle();
    clock.advance(10 * 60 * 1000 + 1);
    const upload = await fetch(handle['url'], { method: 'POST', body: form(handle['fields']) });
    expect(upload.status).toBe(403);
    expect(await upload.text()).toContain('Request has expired');
  });

  it('accepts an upload just before expiry', async () => {
    const handle = await newHandle();
    clock.advance(10 * 60 * 1000 - 1);
    const upload = await fetch(handle['url'], { method: 'POST', body: form(handle['fields']) });
    expect(upload.status).toBe(204);
  });

  it('rejects a wrong size', async () => {
    const handle = await newHandle(PDF.length + 10);
    const upload = await fetch(handle['url'], { method: 'POST', body: form(handle['fields']) });
    expect(upload.status).toBe(400);
    expect(await upload.text()).toContain('EntityTooSmall');
  });

  it('rejects missing policy fields', async () => {
    const handle = await newHandle();
    const fields = { ...handle['fields'] };
    delete fields['policy'];
    const upload = await fetch(handle['url'], { method: 'POST', body: form(fields) });
    expect(upload.status).toBe(403);
  });

  it('rejects a handle that was never uploaded', async () => {
    const candidate = await ok('candidate.create', { name: 'No Upload' });
    const handle = await newHandle();
    const reply = await callAshby(sandbox.url, apiKey, 'candidate.uploadResume', { candidateId: candidate['id'], resumeHandle: handle['handle'] });
    expect((reply.body as Json)['errorInfo']['code']).toBe('invalid_input');
  });

  it('rejects a handle made for other files', async () => {
    const candidate = await ok('candidate.create', { name: 'Wrong Context' });
    const handle = await newHandle(PDF.length, 'CandidateFiles');
    await fetch(handle['url'], { method: 'POST', body: form(handle['fields']) });
    const reply = await callAshby(sandbox.url, apiKey, 'candidate.uploadResume', { candidateId: candidate['id'], resumeHandle: handle['handle'] });
    expect((reply.body as Json)['errorInfo']['code']).toBe('invalid_input');
  });

  it('accepts the deprecated multipart resume field', async () => {
    const candidate = await ok('candidate.create', { name: 'Multipart Person' });
    const body = new FormData();
    body.append('candidateId', candidate['id']);
    body.append('resume', new Blob([PDF], { type: 'application/pdf' }), 'old-style.pdf');
    const reply = await callAshby(sandbox.url, apiKey, 'candidate.uploadResume', undefined, { rawBody: body });
    expect(reply.body['success']).toBe(true);
    expect((reply.body as Json)['results']['resumeFileHandle']['name']).toBe('old-style.pdf');
  });

  it('rejects multipart on JSON-only endpoints', async () => {
    const body = new FormData();
    body.append('name', 'Form Person');
    const reply = await callAshby(sandbox.url, apiKey, 'candidate.create', undefined, { rawBody: body });
    expect((reply.body as Json)['errorInfo']['code']).toBe('invalid_input');
  });

  it('rejects multipart without a resume part', async () => {
    const candidate = await ok('candidate.create', { name: 'Empty Form' });
    const body = new FormData();
    body.append('candidateId', candidate['id']);
    const reply = await callAshby(sandbox.url, apiKey, 'candidate.uploadResume', undefined, { rawBody: body });
    expect((reply.body as Json)['errorInfo']['code']).toBe('invalid_input');
  });

  it('counts uploads as file.upload', async () => {
    sandbox.resetCallCounts();
    const handle = await newHandle();
    await fetch(handle['url'], { method: 'POST', body: form(handle['fields']) });
    expect(sandbox.callCounts('Sandbox Org').byEndpoint).toEqual({ 'file.createFileUploadHandle': 1, 'file.upload': 1 });
  });
});
