// Application services against a real SQLite data folder and the sandbox over HTTP: where keys
// are stored, what the audit log records, settings validation, disconnect and reconnect, and the
// demo across a restart.
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAuditPage, type AuditPage } from '../../../core/audit/query.js';
import { enqueueLifecycleEvent } from '../../../core/engine/enqueue.js';
import { commitImport, openImport } from '../../../core/pipeline/journal.js';
import { ImportStage } from '../../../core/pipeline/stage.js';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { clientAccount } from '../../../core/secrets/secret-store.js';
import { insertCandidate } from '../../../core/store/repo/candidates.js';
import { createClient, getClient } from '../../../core/store/repo/clients.js';
import { linkRole as linkRoleRow, upsertRole } from '../../../core/store/repo/roles.js';
import {
  addClient,
  DEMO_STATE_FILE,
  disconnectClient,
  linkRole,
  listClients,
  listJobs,
  listSources,
  openServices,
  push,
  reconnectClient,
  replaceKey,
  resolveCandidate,
  resolveRole,
  resumeDemo,
  startDemo,
  sync,
  testClient,
  updateClientSettings,
  type Services,
} from '../../../core/services/index.js';
import { AppError } from '../../../shared/errors.js';

const TENANT = 'Northwind Robotics';

let sandbox: Sandbox;
let dataDir: string;
let services: Services;

async function open(): Promise<Services> {
  return openServices({ dataDir, env: { ASHBY_SYNC_SECRET_STORE: 'memory' }, runEngine: false, fileLogging: false });
}

function keyOf(name: string): string {
  return sandbox.tenants.find((tenant) => tenant.name === name)?.apiKey ?? '';
}

function auditMessages(clientId: number, action: string): string[] {
  const messages: string[] = [];
  let after: AuditPage['nextCursor'] = null;
  do {
    const page = queryAuditPage(services.db, { clientId }, { limit: 500, after });
    messages.push(...page.entries.filter((entry) => entry.action === action).map((entry) => entry.message));
    after = page.nextCursor;
  } while (after);
  return messages;
}

function databaseBytes(): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('console.sqlite'))
    .map((name) => readFileSync(path.join(dataDir, name)).toString('latin1'))
    .join('');
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

// A linked role with one candidate and one queued push, built straight in the store.
function queuedItem(clientId: number): number {
  const role = upsertRole(services.db, services.clock, { clientId, externalId: 'r-1', title: 'Senior Backend Engineer' });
  linkRoleRow(services.db, services.clock, role.id, { ashbyJobId: 'job-1', ashbyJobTitle: 'Senior Backend Engineer', ashbyInterviewPlanId: null });
  const candidate = insertCandidate(services.db, services.clock, {
    clientId,
    roleId: role.id,
    externalId: 'c-1',
    name: 'Kai Example',
    email: 'kai@example.com',
    emailKey: 'kai@example.com',
    state: 'intro_requested',
  });
  return enqueueLifecycleEvent(services.db, services.clock, { clientId, roleId: role.id, candidateId: candidate.id, event: 'request_intro', origin: 'action' });
}

async function candidatesIn(url: string): Promise<{ id: string; name: string }[]> {
  const address = `${url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`;
  // A kept-alive socket to the sandbox that was closed on the same port fails once; a new one works.
  const response = await fetch(address).catch(() => fetch(address));
  const state = (await response.json()) as { candidates: { id: string; name: string }[] };
  return state.candidates;
}

async function aishaIn(url: string): Promise<{ id: string; name: string }[]> {
  return (await candidatesIn(url)).filter((candidate) => candidate.name === 'Aisha Bello');
}

function externalIdOf(clientId: number, name: string): string {
  const row = services.db.prepare('SELECT external_id FROM candidates WHERE client_id = ? AND name = ?').get(clientId, name) as
    | { external_id: string }
    | undefined;
  return row?.external_id ?? '';
}

function linkedAshbyId(clientId: number, name: string): string | null {
  const row = services.db.prepare('SELECT ashby_candidate_id FROM candidates WHERE client_id = ? AND name = ?').get(clientId, name) as
    | { ashby_candidate_id: string | null }
    | undefined;
  return row?.ashby_candidate_id ?? null;
}

function itemStatus(id: number): string {
  return (services.db.prepare('SELECT status FROM outbox WHERE id = ?').get(id) as { status: string }).status;
}

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'services-test-'));
  services = await open();
});

afterEach(async () => {
  await services.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('interrupted imports', () => {
  it('finishes a committed import on open', async () => {
    const clock = { now: () => Date.now() };
    const client = createClient(services.db, clock, { name: 'Halted Import Co', baseUrl: 'http://127.0.0.1:1' });
    // What a process killed after its commit leaves: a journal entry in 'writing' with its rows.
    const importId = openImport(services.db, clock, { clientId: client.id, fileName: 'halted.csv', actor: 'admin', runId: null });
    const stage = ImportStage.forImport(services.db, importId);
    for (const index of [1, 2, 3]) {
      const row = {
        roleId: 'r1',
        roleTitle: 'Backend',
        candidateId: `c${index}`,
        name: `Person ${index}`,
        email: `p${index}@example.com`,
        emailKey: `p${index}@example.com`,
        linkedinUrl: null,
        linkedinSlug: null,
        phone: null,
        resumePath: null,
        state: 'shortlisted' as const,
        stateChangedAt: '2026-11-01T10:00:00.000Z',
      };
      stage.add({ line: index + 1 }, row, null);
    }
    stage.flush();
    commitImport(services.db, clock, importId, { format: 'csv', rows: 3, rowsRejected: 0, rowsWithoutResume: 0, rejected: [], roles: [['r1', 'Backend']] });
    services.db.prepare("UPDATE imports SET heartbeat_at = '2026-01-01T00:00:00.000Z'").run();
    await services.close();

    services = await open();
    const journaled = () => (services.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n;
    const deadline = Date.now() + 5000;
    while (journaled() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(journaled()).toBe(0);
    expect(services.db.prepare('SELECT count(*) AS n FROM candidates WHERE client_id = ?').get(client.id)).toEqual({ n: 3 });
    expect(auditMessages(client.id, 'pipeline.import')).toEqual([
      'Imported halted.csv: 3 rows, 3 candidates created, 0 updated, 0 unchanged, 3 events queued; finished after the console restarted.',
    ]);
  });
});

describe('addClient', () => {
  it('keeps a real key out of SQLite', async () => {
    const key = keyOf(TENANT);
    const { client, verification } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: key });
    expect(verification.ok).toBe(true);
    expect(client.isSandbox).toBe(false);
    expect(await services.secrets.get(clientAccount(client.id))).toBe(key);
    expect(getClient(services.db, client.id)?.sandboxApiKey).toBeNull();
    expect(databaseBytes()).not.toContain(key);

    const added = auditMessages(client.id, 'client.added');
    expect(added).toHaveLength(1);
    expect(added[0]).toContain('client added');
    expect(added[0]).not.toContain(key);
  });

  it('keeps a sandbox key in the database', async () => {
    const key = keyOf(TENANT);
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: key, sandbox: true });
    expect(getClient(services.db, client.id)?.sandboxApiKey).toBe(key);
    expect(await services.secrets.get(clientAccount(client.id))).toBeNull();
  });

  it('rejects a taken name before calling Ashby', async () => {
    await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: keyOf(TENANT) });
    sandbox.resetCallCounts(TENANT);
    const error = await expectAppError(addClient(services, { name: 'northwind robotics', baseUrl: sandbox.url, apiKey: keyOf(TENANT) }), 'conflict');
    expect(error.message).toContain('already exists');
    expect(sandbox.callCounts(TENANT).total).toBe(0);
  });

  it('stores nothing when the key is rejected', async () => {
    await expectAppError(addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: 'wrong-key' }), 'ashby_auth');
    expect(listClients(services)).toEqual([]);
  });
});

describe('updateClientSettings', () => {
  it('validates ids and audits each change', async () => {
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: keyOf(TENANT) });

    const badSource = await expectAppError(updateClientSettings(services, client.id, { sourceId: 'no-such-source' }), 'validation_failed');
    expect(badSource.message).toContain('Jack & Jill');
    await expectAppError(updateClientSettings(services, client.id, { archiveReasonId: 'no-such-reason' }), 'validation_failed');

    const source = (await listSources(services, client.id)).find((entry) => entry.title === 'Jack & Jill');
    const updated = await updateClientSettings(services, client.id, {
      sourceId: source?.id ?? '',
      events: ['hire', 'request_intro'],
      reviewBeforePush: true,
    });
    expect(updated.changes.map((change) => change.field)).toEqual(['events', 'source', 'review before push']);
    expect(updated.client.enabledEvents).toEqual(['request_intro', 'hire']);
    expect(updated.client.sourceTitle).toBe('Jack & Jill');
    expect(auditMessages(client.id, 'settings.changed')).toHaveLength(3);

    const unchanged = await updateClientSettings(services, client.id, { reviewBeforePush: true });
    expect(unchanged.changes).toEqual([]);
    expect(auditMessages(client.id, 'settings.changed')).toHaveLength(3);
  });
});

describe('connection lifecycle', () => {
  it('disconnect pauses and reconnect resumes', async () => {
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: keyOf(TENANT) });
    const item = queuedItem(client.id);
    expect(itemStatus(item)).toBe('pending');

    const disconnected = disconnectClient(services, TENANT);
    expect(disconnected.paused).toBe(1);
    expect(disconnected.client.status).toBe('disconnected');
    expect(disconnected.client.disconnectedByUser).toBe(true);
    expect(itemStatus(item)).toBe('paused');
    // Testing the key leaves an admin's disconnect in place.
    expect((await testClient(services, TENANT)).ok).toBe(true);
    expect(getClient(services.db, client.id)?.status).toBe('disconnected');

    const reconnected = await reconnectClient(services, TENANT);
    expect(reconnected.test.ok).toBe(true);
    expect(reconnected.client.status).toBe('connected');
    expect(itemStatus(item)).toBe('pending');
  });

  it('rejected key disconnects; replacing it resumes', async () => {
    const key = sandbox.createKey(TENANT);
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: key });
    const item = queuedItem(client.id);
    sandbox.revokeKey(key);

    const tested = await testClient(services, TENANT);
    expect(tested.problem).toBe('key_rejected');
    expect(getClient(services.db, client.id)?.status).toBe('disconnected');
    expect(getClient(services.db, client.id)?.statusReason).toContain('key rejected');
    expect(itemStatus(item)).toBe('paused');

    const fresh = sandbox.createKey(TENANT);
    const replaced = await replaceKey(services, TENANT, fresh);
    expect(replaced.client.status).toBe('connected');
    expect(await services.secrets.get(clientAccount(client.id))).toBe(fresh);
    expect(itemStatus(item)).toBe('pending');
    const messages = auditMessages(client.id, 'client.key_replaced');
    expect(messages).toHaveLength(1);
    expect(messages[0]).not.toContain(fresh);
    expect(messages[0]).not.toContain(key);
  });
});

describe('role and candidate lookup', () => {
  it('accepts console ids, export ids and prefixes', async () => {
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: keyOf(TENANT) });
    const first = upsertRole(services.db, services.clock, { clientId: client.id, externalId: 'nw-role-001', title: 'First' });
    // An export id that is also another role's console id.
    const confusing = upsertRole(services.db, services.clock, { clientId: client.id, externalId: String(first.id), title: 'Confusing' });

    expect(resolveRole(services, client.id, 'nw-role-001').id).toBe(first.id);
    expect(resolveRole(services, client.id, String(confusing.id)).id).toBe(confusing.id);
    expect(() => resolveRole(services, client.id, String(first.id))).toThrow(/id:1 or ext:1|id:\d+ or ext:\d+/);
    expect(resolveRole(services, client.id, `id:${first.id}`).id).toBe(first.id);
    expect(resolveRole(services, client.id, `ext:${first.id}`).id).toBe(confusing.id);
    expect(() => resolveRole(services, client.id, 'nw-role-999')).toThrow(/No role "nw-role-999"/);

    const candidate = insertCandidate(services.db, services.clock, {
      clientId: client.id,
      roleId: first.id,
      externalId: 'nw-cand-001',
      name: 'Jane Roe',
      state: 'shortlisted',
    });
    expect(resolveCandidate(services, first, 'nw-cand-001').id).toBe(candidate.id);
    expect(resolveCandidate(services, first, String(candidate.id)).id).toBe(candidate.id);
    // A console id of a candidate in another role is not found.
    expect(() => resolveCandidate(services, confusing, String(candidate.id))).toThrow(/No candidate/);
  });
});

describe('demo', () => {
  it('connects three sandbox clients and survives a restart', async () => {
    const demo = await startDemo(services);
    expect(demo.clients.map((client) => client.name).sort()).toEqual(['Acme Health', 'Globex Logistics', 'Northwind Robotics']);
    for (const demoClient of demo.clients) {
      expect(demoClient.imported?.rows).toBeGreaterThan(0);
      const client = getClient(services.db, demoClient.clientId);
      expect(client?.isSandbox).toBe(true);
      expect(client?.baseUrl).toBe(demo.url);
      expect(client?.sourceTitle).toBe('Jack & Jill');
      expect(client?.archiveReasonText).toBe('Not a fit');
    }
    const firstUrl = demo.url;

    // The app quits: the in-process sandbox goes with it.
    await services.close();
    services = await open();
    const resumed = await resumeDemo(services);
    expect(resumed).not.toBeNull();
    expect(resumed?.clients).toHaveLength(3);
    for (const demoClient of resumed?.clients ?? []) {
      expect(getClient(services.db, demoClient.clientId)?.baseUrl).toBe(resumed?.url);
      expect((await testClient(services, demoClient.clientId)).ok).toBe(true);
    }
    // The previous port is reused when it is free.
    expect(resumed?.url).toBe(firstUrl);
    const audit = auditMessages(resumed?.clients[0]?.clientId ?? 0, 'demo.sandbox_restarted');
    expect(audit).toHaveLength(1);
  });

  it('keeps pushed candidates after a restart', async () => {
    await services.engine.start();
    const demo = await startDemo(services);
    const northwind = demo.clients.find((client) => client.name === TENANT)?.clientId ?? 0;
    const jobId = (await listJobs(services, northwind)).find((job) => job.title === 'Senior Backend Engineer')?.id ?? '';
    await linkRole(services, northwind, 'nw-role-001', jobId);
    await push(services, northwind, 'nw-role-001');
    const first = await sync(services, { client: northwind, timeoutMs: 60_000 });
    expect(first.failures).toEqual([]);
    const aishaBefore = await aishaIn(demo.url);
    expect(aishaBefore).toHaveLength(1);
    const countBefore = (await candidatesIn(demo.url)).length;

    await services.close();
    services = await open();
    await services.engine.start();
    const resumed = await resumeDemo(services);
    // The restarted sandbox starts from its state file, so the candidate pushed before is still
    // there and the console keeps its link to her.
    expect(resumed?.url).toBe(demo.url);
    expect(await aishaIn(resumed?.url ?? '')).toEqual(aishaBefore);
    expect(linkedAshbyId(northwind, 'Aisha Bello')).toBe(aishaBefore[0]?.id);
    // She is linked, so a bulk push leaves her out, and a manual push updates her existing
    // application instead of creating her again.
    const plan = await push(services, northwind, 'nw-role-001');
    expect(plan.plan.kind === 'bulk' ? (plan.plan.bulk.byEvent.hire ?? 0) : -1).toBe(0);
    const manual = await push(services, northwind, 'nw-role-001', { candidate: externalIdOf(northwind, 'Aisha Bello') });
    expect(manual.outboxId).not.toBeNull();
    const second = await sync(services, { client: northwind, timeoutMs: 60_000 });
    expect(second.done).toBeGreaterThan(0);
    expect(second.failures).toEqual([]);
    expect(await aishaIn(resumed?.url ?? '')).toEqual(aishaBefore);
    expect(await candidatesIn(resumed?.url ?? '')).toHaveLength(countBefore);
  });

  it('keeps the mirror when the port is taken', async () => {
    await services.engine.start();
    const demo = await startDemo(services);
    const northwind = demo.clients.find((client) => client.name === TENANT)?.clientId ?? 0;
    const jobId = (await listJobs(services, northwind)).find((job) => job.title === 'Senior Backend Engineer')?.id ?? '';
    await linkRole(services, northwind, 'nw-role-001', jobId);
    await push(services, northwind, 'nw-role-001');
    expect((await sync(services, { client: northwind, timeoutMs: 60_000 })).failures).toEqual([]);
    const aishaBefore = await aishaIn(demo.url);

    await services.close();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(new URL(demo.url).port), '127.0.0.1', resolve));
    try {
      services = await open();
      const resumed = await resumeDemo(services);
      expect(resumed?.url).not.toBe(demo.url);
      expect(getClient(services.db, northwind)?.baseUrl).toBe(resumed?.url);
      expect(await aishaIn(resumed?.url ?? '')).toEqual(aishaBefore);
      expect(linkedAshbyId(northwind, 'Aisha Bello')).toBe(aishaBefore[0]?.id);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('moves an unreadable state file aside', async () => {
    await startDemo(services);
    await services.close();
    writeFileSync(path.join(dataDir, DEMO_STATE_FILE), '{"version": 1, "tenants": [');

    services = await open();
    const resumed = await resumeDemo(services);
    expect(resumed?.clients).toHaveLength(3);
    expect(readdirSync(dataDir).filter((name) => name.startsWith(`${DEMO_STATE_FILE}.unreadable-`))).toHaveLength(1);
    const audit = auditMessages(resumed?.clients[0]?.clientId ?? 0, 'demo.sandbox_restarted');
    expect(audit[0]).toContain('from its seed');
  });

  it('resumes nothing when no demo was started', async () => {
    expect(await resumeDemo(services)).toBeNull();
  });
});
