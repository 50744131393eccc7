// Review decisions through the API registry: approve reports where each push stands, and a push
// that needs attention can be retried from the Review screen and from the candidate's history.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRegistry, type ApiRegistry } from '../../../core/api/registry.js';
import { handlers } from '../../../core/api/handlers/index.js';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import type { EventPayload, ReviewList, SendDecision, StoppedPush } from '../../../shared/contract/index.js';
import type { Result } from '../../../shared/result.js';

const SAMPLE = path.resolve('resources/samples/northwind-robotics.json');
const silent = { debug() {}, warn() {}, error() {} };

let sandbox: Sandbox;
let dataDir: string;
let context: AppContext;
let registry: ApiRegistry;
const progress: EventPayload<'task:progress'>[] = [];

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = (await registry.dispatch(channel, input)) as Result<T>;
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitForTask(taskId: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!progress.some((event) => event.taskId === taskId && event.state !== 'running')) {
    if (Date.now() > deadline) throw new Error(`task ${taskId} did not finish within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-review-decisions-'));
  context = await createAppContext({
    dataDir,
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    transport: 'browser',
    fileLogging: false,
  });
  context.events.on('task:progress', (event) => progress.push(event));
  registry = createApiRegistry({ context, handlers }, silent);
});

afterAll(async () => {
  await context?.close();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('review decisions', () => {
  let clientId = 0;
  let roleId = 0;
  let candidateId = 0;
  let outboxId = 0;

  it('setup links a role with review on', async () => {
    const apiKey = sandbox.tenants.find((tenant) => tenant.name === 'Northwind Robotics')!.apiKey;
    const added = await call<{ client: { id: number } }>('clients:add', { name: 'Northwind Robotics', baseUrl: sandbox.url, apiKey });
    clientId = added.client.id;
    await call('import:run', { clientId, file: SAMPLE });
    const roles = await call<{ id: number; title: string }[]>('roles:list', { clientId });
    roleId = roles.find((role) => role.title === 'Senior Backend Engineer')!.id;
    const jobs = await call<{ id: string; title: string }[]>('ashby:jobs', { clientId });
    const jobId = jobs.find((job) => job.title === 'Senior Backend Engineer')!.id;
    const linked = await call<{ taskId: number }>('roles:link', { clientId, roleId, jobId });
    await waitForTask(linked.taskId);

    await call('clients:updateSettings', {
      clientId,
      events: ['shortlist', 'request_intro', 'complete_intro', 'archive', 'hire'],
      archiveReasonId: null,
      reviewBeforePush: true,
    });
    // A candidate who already has an application on the job, so archiving only needs the reason.
    const page = await call<{ items: { id: number; state: string }[] }>('pipeline:candidates', {
      roleId,
      ashbyStatuses: ['linked'],
      offset: 0,
      limit: 50,
    });
    candidateId = page.items.find((candidate) => candidate.state !== 'archived')!.id;
    expect(candidateId).toBeGreaterThan(0);
  });

  it('not in Ashby excludes found people', async () => {
    type Page = { items: { ashbyCandidateId: string | null; ashbyDisplayStatus: string }[]; total: number };
    const absent = await call<Page>('pipeline:candidates', { roleId, ashbyStatuses: ['not_in_ashby'], offset: 0, limit: 500 });
    expect(absent.items.every((candidate) => candidate.ashbyCandidateId === null)).toBe(true);
    const elsewhere = await call<Page>('pipeline:candidates', { roleId, ashbyStatuses: ['in_ashby_not_on_job'], offset: 0, limit: 500 });
    expect(elsewhere.items.every((candidate) => candidate.ashbyCandidateId !== null)).toBe(true);

    const roles = await call<{ id: number; candidates: number; byAshbyStatus: Record<string, number> }[]>('roles:list', { clientId });
    const role = roles.find((entry) => entry.id === roleId)!;
    expect(role.byAshbyStatus['not_in_ashby']).toBe(absent.total);
    expect(role.byAshbyStatus['in_ashby_not_on_job']).toBe(elsewhere.total);
    const counted = Object.values(role.byAshbyStatus).reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(role.candidates);
  });

  it('archive without a reason waits for review', async () => {
    await call('pipeline:act', { clientId, roleId, candidateId, action: 'archive' });
    const list = await call<ReviewList>('review:list', { clientId });
    const item = list.items.find((entry) => entry.candidateId === candidateId && entry.event === 'archive');
    expect(item?.waitReason).toBe('review_before_push');
    outboxId = item!.id;
  });

  it('approve reports needs attention', async () => {
    const decision = await call<SendDecision>('review:approve', { ids: [outboxId] });
    expect(decision.changed).toEqual([outboxId]);
    expect(decision.outcomes).toHaveLength(1);
    expect(decision.outcomes[0]?.status).toBe('needs_attention');
    expect(decision.outcomes[0]?.reason).toContain('archive reason');
  });

  it('history lists the stopped push', async () => {
    const stopped = await call<StoppedPush[]>('pipeline:stoppedPushes', { candidateId });
    expect(stopped.map((push) => push.id)).toEqual([outboxId]);
    expect(stopped[0]?.status).toBe('needs_attention');
  });

  it('retry without a reason stops again', async () => {
    const decision = await call<SendDecision>('review:retry', { ids: [outboxId] });
    expect(decision.changed).toEqual([outboxId]);
    expect(decision.outcomes[0]?.status).toBe('needs_attention');
  });

  it('retry skips items not stopped', async () => {
    const decision = await call<SendDecision>('review:retry', { ids: [999_999] });
    expect(decision.changed).toEqual([]);
    expect(decision.skipped[0]?.id).toBe(999_999);
  });

  it('manual push waits for review', async () => {
    const page = await call<{ items: { id: number }[] }>('pipeline:candidates', { roleId, search: 'Jane Roe', offset: 0, limit: 5 });
    const pushed = await call<{ outboxId: number; status: string }>('push:candidate', { clientId, roleId, candidateId: page.items[0]!.id });
    expect(pushed.status).toBe('review');
    const list = await call<ReviewList>('review:list', { clientId });
    expect(list.items.find((item) => item.id === pushed.outboxId)?.waitReason).toBe('review_before_push');
  });

  it('push on an unlinked role names no command', async () => {
    const roles = await call<{ id: number; ashbyJobId: string | null }[]>('roles:list', { clientId });
    const unlinked = roles.find((role) => role.ashbyJobId === null)!;
    const page = await call<{ items: { id: number }[] }>('pipeline:candidates', { roleId: unlinked.id, offset: 0, limit: 1 });
    const result = await registry.dispatch('push:candidate', { clientId, roleId: unlinked.id, candidateId: page.items[0]!.id });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('is not linked to an Ashby job');
    expect(message).not.toMatch(/`|roles link/);
  });

  it('retry after choosing a reason sends', async () => {
    const reasons = await call<{ id: string; title: string }[]>('ashby:archiveReasons', { clientId });
    await call('clients:updateSettings', { clientId, archiveReasonId: reasons[0]!.id });
    const decision = await call<SendDecision>('review:retry', { ids: [outboxId] });
    expect(decision.outcomes[0]?.status).toBe('done');
    const stopped = await call<StoppedPush[]>('pipeline:stoppedPushes', { candidateId });
    expect(stopped).toEqual([]);
  });

  it('outcomes lists what the log contains', async () => {
    const all = await call<string[]>('audit:outcomes', {});
    const ofClient = await call<string[]>('audit:outcomes', { clientId });
    expect(all).toContain('ok');
    expect(ofClient).toContain('ok');
    const stored = context.db.prepare('SELECT DISTINCT outcome FROM audit_log WHERE client_id = ? ORDER BY outcome').pluck().all(clientId);
    expect(ofClient).toEqual(stored);
  });
});
