// The contract channels behind the screens, called through the API registry exactly as the
// renderer calls them, against a real app context (SQLite in a temp folder, the sync engine) and
// the sandbox over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRegistry, type ApiRegistry } from '../../../core/api/registry.js';
import { handlers } from '../../../core/api/handlers/index.js';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import type { EventPayload } from '../../../shared/contract/index.js';
import type { Result } from '../../../shared/result.js';

const SAMPLE = path.resolve('resources/samples/northwind-robotics.json');
const silent = { debug() {}, warn() {}, error() {} };

let sandbox: Sandbox;
let dataDir: string;
let context: AppContext;
let registry: ApiRegistry;
const progress: EventPayload<'task:progress'>[] = [];
const counts: EventPayload<'queue:counts'>[] = [];

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = (await registry.dispatch(channel, input)) as Result<T>;
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitForTask(taskId: number): Promise<EventPayload<'task:progress'>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const last = progress.filter((event) => event.taskId === taskId).at(-1);
    if (last !== undefined && last.state !== 'running') return last;
    if (Date.now() > deadline) throw new Error(`task ${taskId} did not finish within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-screens-api-'));
  context = await createAppContext({
    dataDir,
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    transport: 'browser',
    fileLogging: false,
  });
  context.events.on('task:progress', (event) => progress.push(event));
  context.events.on('queue:counts', (event) => counts.push(event));
  registry = createApiRegistry({ context, handlers }, silent);
});

afterAll(async () => {
  await context?.close();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('screens API', () => {
  const key = () => sandbox.tenants.find((tenant) => tenant.name === 'Northwind Robotics')!.apiKey;
  let clientId = 0;
  let roleId = 0;

  it('verifyKey reports a wrong key', async () => {
    const verification = await call<{ ok: boolean; problem: string | null }>('clients:verifyKey', {
      baseUrl: sandbox.url,
      apiKey: 'wrong-key',
      events: ['request_intro'],
    });
    expect(verification.ok).toBe(false);
    expect(verification.problem).toBe('key_rejected');
  });

  it('add stores the client without the key', async () => {
    const added = await call<{ client: { id: number; status: string; keyTitle: string | null } }>('clients:add', {
      name: 'Northwind Robotics',
      baseUrl: sandbox.url,
      apiKey: key(),
    });
    clientId = added.client.id;
    expect(added.client.status).toBe('connected');
    expect(JSON.stringify(added)).not.toContain(key());
  });

  it('ashby dropdowns list the tenant', async () => {
    const sources = await call<{ title: string }[]>('ashby:sources', { clientId });
    expect(sources.map((source) => source.title)).toContain('Jack & Jill');
    const reasons = await call<{ title: string }[]>('ashby:archiveReasons', { clientId });
    expect(reasons.map((reason) => reason.title)).toContain('Not a fit');
    const jobs = await call<{ title: string }[]>('ashby:jobs', { clientId });
    expect(jobs.map((job) => job.title)).toContain('Senior Backend Engineer');
  });

  it('import preview lists rejected rows', async () => {
    const preview = await call<{ rows: number; rowsRejected: number; rejected: unknown[]; changes: unknown }>('import:preview', {
      clientId,
      file: SAMPLE,
    });
    expect(preview.rows).toBeGreaterThan(0);
    expect(preview.rowsRejected).toBeGreaterThan(0);
    expect(preview.rejected.length).toBeGreaterThan(0);
    expect(preview.changes).not.toBeNull();
  });

  it('import rejects a relative path', async () => {
    const result = await registry.dispatch('import:preview', { clientId, file: 'samples/x.json' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('invalid_input');
  });

  it('import run creates candidates', async () => {
    const result = await call<{ candidatesCreated: number }>('import:run', { clientId, file: SAMPLE });
    expect(result.candidatesCreated).toBeGreaterThan(0);
    const roles = await call<{ id: number; title: string }[]>('roles:list', { clientId });
    roleId = roles.find((role) => role.title === 'Senior Backend Engineer')!.id;
    expect(roleId).toBeGreaterThan(0);
  });

  it('link resolution emits progress to the end', async () => {
    const jobs = await call<{ id: string; title: string }[]>('ashby:jobs', { clientId });
    const jobId = jobs.find((job) => job.title === 'Senior Backend Engineer')!.id;
    const linked = await call<{ taskId: number }>('roles:link', { clientId, roleId, jobId });
    const finished = await waitForTask(linked.taskId);
    expect(finished.kind).toBe('link_resolution');
    expect(finished.state).toBe('completed');
    const mapping = await call<{ planKnown: boolean; events: { event: string; stage: unknown }[] }>('roles:mapping', { clientId, roleId });
    expect(mapping.planKnown).toBe(true);
    expect(mapping.events.find((entry) => entry.event === 'request_intro')?.stage).not.toBeNull();
  });

  it('stage override replaces and clears', async () => {
    type Mapping = { stages: { id: string; title: string }[]; events: { event: string; stage: { id: string } | null; source: string | null }[] };
    const before = await call<Mapping>('roles:mapping', { clientId, roleId });
    const phoneScreen = before.stages.find((stage) => stage.title === 'Phone Screen')!;
    const overridden = await call<Mapping>('roles:setOverride', { clientId, roleId, event: 'complete_intro', stageId: phoneScreen.id });
    const entry = overridden.events.find((item) => item.event === 'complete_intro')!;
    expect(entry.source).toBe('override');
    expect(entry.stage?.id).toBe(phoneScreen.id);
    const cleared = await call<Mapping>('roles:setOverride', { clientId, roleId, event: 'complete_intro', stageId: null });
    expect(cleared.events.find((item) => item.event === 'complete_intro')?.source).toBe('plan');
  });

  it('candidates page searches in the core', async () => {
    const page = await call<{ items: { name: string }[]; total: number }>('pipeline:candidates', {
      roleId,
      search: 'jane.roe@',
      offset: 0,
      limit: 50,
    });
    expect(page.total).toBe(1);
    expect(page.items[0]?.name).toBe('Jane Roe');
  });

  it('bulk push completes and counts', async () => {
    const plan = await call<{ total: number; blocked: string | null }>('push:plan', { clientId, roleId });
    expect(plan.blocked).toBeNull();
    expect(plan.total).toBeGreaterThan(0);
    const started = await call<{ taskId: number | null; total: number }>('push:bulkStart', { clientId, roleId });
    expect(started.total).toBe(plan.total);
    const finished = await waitForTask(started.taskId!);
    expect(finished.state).toMatch(/^completed/);
    expect(finished.done + finished.failed + finished.skipped).toBe(plan.total);

    const tasks = await call<{ id: number; clientName: string; roleTitle: string | null }[]>('tasks:list', { clientId });
    const listed = tasks.find((task) => task.id === started.taskId);
    expect(listed?.clientName).toBe('Northwind Robotics');
    expect(listed?.roleTitle).toBe('Senior Backend Engineer');
    // The engine coalesces queue counts over about 100 ms before it emits them.
    await expect.poll(() => counts.some((event) => event.clientId === clientId), { timeout: 5_000 }).toBe(true);
  });

  it('history lists the push of a candidate', async () => {
    const page = await call<{ items: { id: number; name: string; ashbyStatus: string }[] }>('pipeline:candidates', {
      roleId,
      search: 'Jane Roe',
      offset: 0,
      limit: 5,
    });
    const jane = page.items[0]!;
    expect(jane.ashbyStatus).toBe('linked');
    const history = await call<{ action: string }[]>('pipeline:history', { candidateId: jane.id });
    expect(history.length).toBeGreaterThan(0);
  });

  it('disconnect pauses and reconnect resumes', async () => {
    const disconnected = await call<{ client: { status: string } }>('clients:disconnect', { clientId });
    expect(disconnected.client.status).toBe('disconnected');
    const reconnected = await call<{ client: { status: string }; ok: boolean }>('clients:reconnect', { clientId });
    expect(reconnected.ok).toBe(true);
    expect(reconnected.client.status).toBe('connected');
  });

  it('chooseFile is unavailable without Electron', async () => {
    const chosen = await call<{ available: boolean; file: string | null }>('import:chooseFile', {});
    expect(chosen.available).toBe(false);
    expect(chosen.file).toBeNull();
  });

  it('retry failed requeues only failures', async () => {
    const globexKey = sandbox.tenants.find((tenant) => tenant.name === 'Globex Logistics')!.apiKey;
    const added = await call<{ client: { id: number } }>('clients:add', { name: 'Globex Logistics', baseUrl: sandbox.url, apiKey: globexKey });
    const globex = added.client.id;
    await call('import:run', { clientId: globex, file: path.resolve('resources/samples/globex-logistics.json') });
    const roles = await call<{ id: number; title: string }[]>('roles:list', { clientId: globex });
    const role = roles.find((entry) => entry.title === 'Site Reliability Engineer')!;
    const jobs = await call<{ id: string; title: string }[]>('ashby:jobs', { clientId: globex });
    const jobId = jobs.find((job) => job.title === 'Site Reliability Engineer')!.id;

    // Without a Hired stage in the job's plan, the Hire event has nowhere to go.
    const snapshot = sandbox.state('Globex Logistics');
    const job = snapshot.jobs.find((entry) => entry['id'] === jobId)!;
    const hired = snapshot.interviewStages.find(
      (stage) => stage['type'] === 'Hired' && stage['interviewPlanId'] === job['defaultInterviewPlanId'],
    );
    expect(hired).toBeDefined();
    sandbox.deleteStage('Globex Logistics', String(hired!['id']));

    const linked = await call<{ taskId: number }>('roles:link', { clientId: globex, roleId: role.id, jobId });
    await waitForTask(linked.taskId);
    const started = await call<{ taskId: number }>('push:bulkStart', { clientId: globex, roleId: role.id });
    const first = await waitForTask(started.taskId);
    expect(first.state).toBe('completed_with_failures');
    const failures = await call<{ event: string; reason: string | null }[]>('tasks:failures', { taskId: started.taskId });
    expect(failures.length).toBe(first.failed);
    expect(failures.map((failure) => failure.event)).toEqual(['hire']);
    expect(failures[0]?.reason).toBeTruthy();

    const retried = await call<{ retried: number }>('tasks:retryFailed', { taskId: started.taskId });
    expect(retried.retried).toBe(failures.length);
  });
});
