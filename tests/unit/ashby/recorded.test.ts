// Every recorded real Ashby response must parse with the client's schemas, through the client.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AshbyClient } from '../../../core/ashby/client.js';
import { createAshbyClient } from '../../../core/ashby/client.js';
import { Application, Candidate, Job, Source, User, listEnvelope, successEnvelope } from '../../../core/ashby/schemas.js';

const RECORDED_DIR = path.resolve(process.cwd(), '../shared/reference/ashby-recorded');

interface Recording {
  endpoint: string;
  request: Record<string, unknown>;
  status: number;
  headers: Record<string, string>;
  response: unknown;
}

function loadRecordings(): { file: string; recording: Recording }[] {
  return readdirSync(RECORDED_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const entries = JSON.parse(readFileSync(path.join(RECORDED_DIR, file), 'utf8')) as Recording[];
      return entries.map((recording) => ({ file, recording }));
    });
}

// Each recorded endpoint, called through the client method that sends it.
const CALLS: Record<string, (client: AshbyClient, request: Record<string, unknown>) => Promise<unknown>> = {
  '/application.changeSource': (c, r) => c.application.changeSource(r as never),
  '/application.changeStage': (c, r) => c.application.changeStage(r as never),
  '/application.create': (c, r) => c.application.create(r as never),
  '/application.info': (c, r) => c.application.info(r as never),
  '/application.list': (c, r) => c.application.list(r),
  '/application.update': (c, r) => c.application.update(r as never),
  '/candidate.create': (c, r) => c.candidate.create(r as never),
  '/candidate.info': (c, r) => c.candidate.info(r as never),
  '/candidate.list': (c, r) => c.candidate.list(r),
  '/candidate.update': (c, r) => c.candidate.update(r as never),
  '/job.info': (c, r) => c.job.info(r as never),
  '/job.list': (c, r) => c.job.list(r),
  '/source.list': (c, r) => c.source.list(r),
  '/user.list': (c, r) => c.user.list(r),
};

const SCHEMAS: Record<string, { safeParse(value: unknown): { success: boolean } }> = {
  '/application.changeSource': successEnvelope(Application),
  '/application.changeStage': successEnvelope(Application),
  '/application.create': successEnvelope(Application),
  '/application.info': successEnvelope(Application),
  '/application.list': listEnvelope(Application),
  '/application.update': successEnvelope(Application),
  '/candidate.create': successEnvelope(Candidate),
  '/candidate.info': successEnvelope(Candidate),
  '/candidate.list': listEnvelope(Candidate),
  '/candidate.update': successEnvelope(Candidate),
  '/job.info': successEnvelope(Job),
  '/job.list': listEnvelope(Job),
  '/source.list': listEnvelope(Source),
  '/user.list': listEnvelope(User),
};

const recordings = loadRecordings();

describe('recorded Ashby responses', () => {
  it('finds the recordings', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(14);
  });

  it.each(recordings.map(({ file, recording }) => [file, recording] as const))('%s parses with its schema', (_file, recording) => {
    const schema = SCHEMAS[recording.endpoint];
    expect(schema, `no schema for ${recording.endpoint}`).toBeDefined();
    expect(schema?.safeParse(recording.response).success).toBe(true);
  });

  it.each(recordings.map(({ file, recording }) => [file, recording] as const))('%s parses through the client', async (_file, recording) => {
    const sent: { url: string; body: unknown }[] = [];
    const fetchRecorded: typeof fetch = async (input, init) => {
      sent.push({ url: String(input), body: JSON.parse(String(init?.body)) });
      return new Response(JSON.stringify(recording.response), { status: recording.status, headers: recording.headers });
    };
    const client = createAshbyClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'recorded-test-key', fetch: fetchRecorded });
    const call = CALLS[recording.endpoint];
    expect(call, `no client method for ${recording.endpoint}`).toBeDefined();
    const result = (await call?.(client, recording.request)) as { results: unknown; meta: { requestId?: string } };

    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(`http://127.0.0.1:9${recording.endpoint}`);
    expect(sent[0]?.body).toEqual(recording.request);
    expect(result.results).toBeDefined();
    expect(result.meta.requestId).toBe(recording.headers['x-ashby-request-id']);
  });
});
