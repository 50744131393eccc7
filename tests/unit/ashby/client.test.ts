// Client behaviour over real HTTP against a loopback server: headers, retries, timeouts, lost
// responses, cancellation, logging and the upload flow.
import { afterEach, describe, expect, it } from 'vitest';
import type { AshbyCallEvent, AshbyLogger } from '../../../core/ashby/index.js';
import { RateLimiterRegistry, createAshbyClient, keyIdFor } from '../../../core/ashby/index.js';
import type { Loopback, LoopbackHandler } from './loopback.js';
import { instantTime, sendJson, startLoopback } from './loopback.js';

const API_KEY = 'unit-test-key-0123456789';
const CANDIDATE = {
  id: 'c0000000-0000-4000-8000-000000000001',
  name: 'Jane Roe',
  emailAddresses: [],
  phoneNumbers: [],
  socialLinks: [],
  tags: [],
  applicationIds: [],
  fileHandles: [],
  profileUrl: 'https://app.ashbyhq.com/candidates/c1',
};

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: LoopbackHandler): Promise<Loopback> {
  server = await startLoopback(handler);
  return server;
}

function capturingLogger() {
  const lines: { level: string; object: Record<string, unknown>; message: string | undefined }[] = [];
  const logger: AshbyLogger = {
    debug: (object, message) => void lines.push({ level: 'debug', object, message }),
    info: (object, message) => void lines.push({ level: 'info', object, message }),
    warn: (object, message) => void lines.push({ level: 'warn', object, message }),
  };
  return { logger, lines };
}

describe('Ashby client over HTTP', () => {
  it('sends a JSON POST with Basic auth', async () => {
    const loopback = await serve((_request, response) =>
      sendJson(response, 200, { success: true, results: CANDIDATE }, { 'x-ashby-request-id': 'req-a' }),
    );
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, label: 'Acme' });
    const result = await client.candidate.info({ id: CANDIDATE.id });

    const sent = loopback.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/candidate.info');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({ id: CANDIDATE.id });
    expect(result.results.name).toBe('Jane Roe');
    expect(result.meta).toMatchObject({ endpoint: 'candidate.info', requestId: 'req-a', attempts: 1, status: 200 });
  });

  it('never logs the key or header', async () => {
    const loopback = await serve((_request, response, index) =>
      index === 0 ? sendJson(response, 500, { oops: true }) : sendJson(response, 403, { success: false }),
    );
    const { logger, lines } = capturingLogger();
    const time = instantTime();
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, logger, ...time });
    await expect(client.job.list()).rejects.toMatchObject({ kind: 'auth' });

    const logged = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain(Buffer.from(`${API_KEY}:`).toString('base64'));
    expect(lines.every((line) => Object.keys(line.object).every((key) => key.toLowerCase() !== 'authorization'))).toBe(true);
  });

  it('retries a read after a 500', async () => {
    const loopback = await serve((_request, response, index) =>
      index < 2 ? sendJson(response, 500, 'busy') : sendJson(response, 200, { success: true, results: [], moreDataAvailable: false }),
    );
    const events: AshbyCallEvent[] = [];
    const time = instantTime();
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, onResponse: (event) => events.push(event), ...time });
    const result = await client.source.list();

    expect(loopback.requests).toHaveLength(3);
    expect(result.meta.attempts).toBe(3);
    expect(events.map((event) => event.status)).toEqual([500, 500, 200]);
    expect(events.map((event) => event.errorKind)).toEqual(['transient', 'transient', undefined]);
    expect(time.sleeps.length).toBe(2);
    expect(client.stats().byEndpoint['source.list']).toBe(3);
  });

  it('gives up on reads after maxAttempts', async () => {
    const loopback = await serve((_request, response) => sendJson(response, 503, 'down'));
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, retry: { maxAttempts: 3 }, ...instantTime() });
    const error = await client.job.list().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'transient', code: 'ashby_server_error', status: 503, attempts: 3 });
    expect(loopback.requests).toHaveLength(3);
  });

  it('does not retry a write after a 500', async () => {
    const loopback = await serve((_request, response) => sendJson(response, 500, 'boom'));
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, ...instantTime() });
    await expect(client.candidate.create({ name: 'Jane Roe' })).rejects.toMatchObject({ kind: 'transient' });
    expect(loopback.requests).toHaveLength(1);
  });

  it('retries a read that timed out', async () => {
    const loopback = await serve((_request, response, index) => {
      if (index === 0) return; // never answers
      sendJson(response, 200, { success: true, results: { title: 'k', scopes: ['jobs:read'] } });
    });
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, timeoutMs: 200, retry: { baseDelayMs: 1 } });
    const result = await client.apiKey.info();
    expect(result.results.scopes).toEqual(['jobs:read']);
    expect(result.meta.attempts).toBe(2);
  });

  it('reports a timed-out write as outcome unknown', async () => {
    const loopback = await serve(() => undefined);
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, label: 'Acme', timeoutMs: 200 });
    const error = await client.application.create({ candidateId: 'c', jobId: 'j' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'outcome_unknown', reason: 'timeout', endpoint: 'application.create' });
    expect(loopback.requests).toHaveLength(1);
  });

  it('reports a dropped write as outcome unknown', async () => {
    const loopback = await serve((_request, response) => response.socket?.destroy());
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const error = await client.candidate.create({ name: 'Jane Roe' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'outcome_unknown', reason: 'connection_lost' });
    expect(loopback.requests).toHaveLength(1);
  });

  it('reports a refused write as transient', async () => {
    const loopback = await serve(() => undefined);
    const url = loopback.url;
    await loopback.close();
    server = undefined;
    const client = createAshbyClient({ baseUrl: url, apiKey: API_KEY });
    await expect(client.candidate.create({ name: 'Jane Roe' })).rejects.toMatchObject({ kind: 'transient', reason: 'network' });
  });

  it('cancels a call in flight', async () => {
    const loopback = await serve(() => undefined);
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const controller = new AbortController();
    const pending = client.candidate.search({ email: 'jane@example.com' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled', writeMayHaveApplied: false });
  });

  it('marks a cancelled write as maybe applied', async () => {
    const loopback = await serve(() => undefined);
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const controller = new AbortController();
    const pending = client.candidate.create({ name: 'Jane Roe' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled', writeMayHaveApplied: true });
  });

  it('cancels during a retry backoff', async () => {
    const loopback = await serve((_request, response) => sendJson(response, 500, 'boom'));
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, retry: { baseDelayMs: 10_000 } });
    const controller = new AbortController();
    const pending = client.job.list({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(loopback.requests).toHaveLength(1);
  });

  it('waits out a 429 and sends again', async () => {
    const loopback = await serve((_request, response, index) =>
      index === 0
        ? sendJson(response, 429, { success: false }, { 'retry-after': '3' })
        : sendJson(response, 200, { success: true, results: CANDIDATE }),
    );
    const time = instantTime();
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, ...time });
    const result = await client.candidate.create({ name: 'Jane Roe' });
    expect(result.meta.attempts).toBe(2);
    expect(time.sleeps).toEqual([3000]);
  });

  it('returns a 429 whose wait is too long', async () => {
    const loopback = await serve((_request, response) => sendJson(response, 429, {}, { 'retry-after': '600' }));
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY, ...instantTime() });
    const error = await client.job.list().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 600_000, partnerScope: false });
    expect(loopback.requests).toHaveLength(1);
  });

  it('pauses every key on a partner-scope 429', async () => {
    const loopback = await serve((request, response) => {
      const partner = request.headers.authorization?.includes(Buffer.from('partner-key-aaaa:').toString('base64'));
      if (partner && loopback.requests.filter((r) => r.headers.authorization === request.headers.authorization).length === 1) {
        sendJson(response, 429, {}, { 'retry-after': '4', 'x-ratelimit-scope': 'integration-partner' });
        return;
      }
      sendJson(response, 200, { success: true, results: [], moreDataAvailable: false });
    });
    const time = instantTime();
    const registry = new RateLimiterRegistry(time);
    const otherLimiter = registry.forKey(keyIdFor('partner-key-bbbb'));
    const otherBlockedUntil: (number | undefined)[] = [];
    const first = createAshbyClient({
      baseUrl: loopback.url,
      apiKey: 'partner-key-aaaa',
      limiter: registry,
      // Runs right after each attempt, before the client waits out the pause.
      onResponse: () => void otherBlockedUntil.push(otherLimiter.snapshot().blockedUntil),
      ...time,
    });
    const second = createAshbyClient({ baseUrl: loopback.url, apiKey: 'partner-key-bbbb', limiter: registry, ...time });

    const started = time.clock.now();
    await first.source.list();
    expect(otherBlockedUntil[0]).toBe(started + 4000);
    expect(otherBlockedUntil[1]).toBeUndefined();
    expect(time.sleeps).toEqual([4000]);

    await second.source.list();
    expect(time.sleeps).toEqual([4000]);
  });

  it('rejects a response that fails the schema', async () => {
    const loopback = await serve((_request, response) => sendJson(response, 200, { success: true, results: { id: 'x' } }));
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const error = await client.candidate.info({ id: 'x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'invalid_response' });
    expect((error as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    expect((error as Error).message).toContain('name');
  });
});

describe('resume upload', () => {
  const HANDLE = { handle: 'h-1', fields: { key: 'resumes/h-1', policy: 'p', 'x-amz-signature': 's' } };

  it('uploads fields before the file', async () => {
    const loopback = await serve((request, response) => {
      if (request.path === '/file.createFileUploadHandle') {
        sendJson(response, 200, { success: true, results: { ...HANDLE, url: `${loopback.url}/_store/1` } });
      } else if (request.path === '/_store/1') {
        response.writeHead(204).end();
      } else {
        sendJson(response, 200, { success: true, results: CANDIDATE });
      }
    });
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const result = await client.uploadResume(CANDIDATE.id, {
      bytes: new TextEncoder().encode('%PDF-1.4 test'),
      filename: 'Zoë_CV.pdf',
      contentType: 'application/pdf',
    });

    expect(result.mode).toBe('handle');
    expect(loopback.requests.map((request) => request.path)).toEqual([
      '/file.createFileUploadHandle',
      '/_store/1',
      '/candidate.uploadResume',
    ]);
    const upload = loopback.requests[1];
    const text = upload?.body.toString('utf8') ?? '';
    expect(upload?.headers.authorization).toBeUndefined();
    expect(text.indexOf('name="key"')).toBeLessThan(text.indexOf('name="policy"'));
    expect(text.indexOf('name="x-amz-signature"')).toBeLessThan(text.indexOf('name="file"'));
    expect(text).toContain('%PDF-1.4 test');
    expect(JSON.parse(loopback.requests[2]?.body.toString() ?? '')).toEqual({ candidateId: CANDIDATE.id, resumeHandle: 'h-1' });
    expect(client.stats().uploads).toBe(1);
  });

  it('falls back to multipart when the handle is rejected', async () => {
    const loopback = await serve((request, response) => {
      if (request.path === '/file.createFileUploadHandle') {
        sendJson(response, 200, { success: false, errorInfo: { code: 'invalid_input', message: 'not supported' } });
      } else {
        sendJson(response, 200, { success: true, results: CANDIDATE });
      }
    });
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const result = await client.uploadResume(CANDIDATE.id, {
      bytes: new TextEncoder().encode('resume bytes'),
      filename: 'cv.pdf',
      contentType: 'application/pdf',
    });

    expect(result.mode).toBe('multipart');
    const multipart = loopback.requests[1];
    expect(multipart?.path).toBe('/candidate.uploadResume');
    expect(multipart?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart?.body.toString()).toContain('name="resume"; filename="cv.pdf"');
    expect(multipart?.body.toString()).toContain(`name="candidateId"\r\n\r\n${CANDIDATE.id}`);
  });

  it('asks for a new handle after an expired URL', async () => {
    let handles = 0;
    const loopback = await serve((request, response) => {
      if (request.path === '/file.createFileUploadHandle') {
        handles += 1;
        sendJson(response, 200, { success: true, results: { ...HANDLE, handle: `h-${handles}`, url: `${loopback.url}/_store/${handles}` } });
      } else if (request.path === '/_store/1') {
        response.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Message>Request has expired</Message></Error>');
      } else if (request.path === '/_store/2') {
        response.writeHead(204).end();
      } else {
        sendJson(response, 200, { success: true, results: CANDIDATE });
      }
    });
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const result = await client.uploadResume(CANDIDATE.id, {
      bytes: new Uint8Array([1, 2, 3]),
      filename: 'cv.pdf',
      contentType: 'application/pdf',
    });
    expect(result.handleAttempts).toBe(2);
    expect(JSON.parse(loopback.requests.at(-1)?.body.toString() ?? '')).toEqual({ candidateId: CANDIDATE.id, resumeHandle: 'h-2' });
  });

  it('reports an expired upload URL', async () => {
    const loopback = await serve((_request, response) => response.writeHead(403).end('Request has expired'));
    const client = createAshbyClient({ baseUrl: loopback.url, apiKey: API_KEY });
    const error = await client
      .uploadToHandle({ ...HANDLE, url: `${loopback.url}/_store/x` }, new Uint8Array([1]), 'a.pdf', 'application/pdf')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'api', ashbyCode: 'upload_url_expired', status: 403 });
  });
});
