// The resume upload flows against the sandbox: presigned handle, expiry, retry with a new handle,
// and the deprecated multipart mode.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAshbyClient } from '../../../core/ashby/index.js';
import type { Harness } from './sandbox-harness.js';
import { startHarness } from './sandbox-harness.js';

const TENANT = 'Globex Logistics';
const PDF = new TextEncoder().encode('%PDF-1.4\n% a small test resume\n');
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.sandbox.close();
});
beforeEach(() => {
  harness.sandbox.clearFaults();
});

function client() {
  return createAshbyClient({ baseUrl: harness.url, apiKey: harness.keyOf(TENANT), label: TENANT });
}

describe('resume upload against the sandbox', () => {
  it('attaches a resume through a handle', async () => {
    const ashby = client();
    const created = await ashby.candidate.create({ name: 'Zoë Ångström' });
    const filename = 'Zoë_Ångström_CV_履歴書.pdf';

    const result = await ashby.uploadResume(created.results.id, { bytes: PDF, filename, contentType: 'application/pdf' });

    expect(result.mode).toBe('handle');
    expect(result.handleAttempts).toBe(1);
    expect(result.results.resumeFileHandle?.name).toBe(filename);
    const info = await ashby.candidate.info({ id: created.results.id });
    expect(info.results.resumeFileHandle?.name).toBe(filename);
    expect(ashby.stats().uploads).toBe(1);
  });

  it('reports an expired upload URL', async () => {
    const ashby = client();
    const handle = await ashby.file.createFileUploadHandle({
      fileUploadContext: 'CandidateResume',
      filename: 'late.pdf',
      contentType: 'application/pdf',
      contentLength: PDF.byteLength,
    });
    await harness.admin('clock', { advanceMs: 11 * 60 * 1000 });

    const error = await ashby
      .uploadToHandle(handle.results, PDF, 'late.pdf', 'application/pdf')
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ kind: 'api', ashbyCode: 'upload_url_expired', status: 403 });
  });

  it('retries the upload with a new handle', async () => {
    const ashby = client();
    const created = await ashby.candidate.create({ name: 'Retry Upload' });
    await harness.fault({ tenant: TENANT, endpoint: 'file.upload', kind: 'http_500', times: 1 });

    const result = await ashby.uploadResume(created.results.id, { bytes: PDF, filename: 'cv.pdf', contentType: 'application/pdf' });

    expect(result.mode).toBe('handle');
    expect(result.handleAttempts).toBe(2);
    expect(result.results.resumeFileHandle?.name).toBe('cv.pdf');
  });

  it('gives up after the handle attempts', async () => {
    const ashby = client();
    const created = await ashby.candidate.create({ name: 'Broken Storage' });
    await harness.fault({ tenant: TENANT, endpoint: 'file.upload', kind: 'http_500', times: 2 });

    const error = await ashby
      .uploadResume(created.results.id, { bytes: PDF, filename: 'cv.pdf', contentType: 'application/pdf' })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ kind: 'transient', endpoint: 'file.upload', status: 500 });
    const info = await ashby.candidate.info({ id: created.results.id });
    expect(info.results.resumeFileHandle ?? undefined).toBeUndefined();
  });

  it('uploads in the multipart mode', async () => {
    const ashby = client();
    const created = await ashby.candidate.create({ name: 'Multipart Resume' });

    const result = await ashby.candidate.uploadResumeMultipart(created.results.id, {
      bytes: PDF,
      filename: 'multipart.pdf',
      contentType: 'application/pdf',
    });

    expect(result.results.resumeFileHandle?.name).toBe('multipart.pdf');
  });
});
