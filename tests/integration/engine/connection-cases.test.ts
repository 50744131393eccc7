import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../../core/engine/engine.js';
import type { TaskProgress } from '../../../core/engine/events.js';
import {
  addFault,
  createHarness,
  insertCandidate,
  insertRole,
  jobByTitle,
  snapshot,
  type Harness,
  type TenantHandle,
} from './harness.js';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

async function roleWithCandidates(
  tenant: TenantHandle,
  count: number,
  prefix: string,
): Promise<number> {
  const job = await jobByTitle(tenant.ashby);
  const roleId = insertRole(harness.db, tenant.clientId, job.id);
  for (let index = 0; index < count; index += 1) {
    insertCandidate(harness, tenant.clientId, roleId, {
      name: `${prefix} ${index}`,
      email: `${prefix.toLowerCase()}.${index}@example.com`,
    });
  }
  return roleId;
}

function waitForRun(
  engine: SyncEngine,
  runId: number,
  predicate: (progress: TaskProgress) => boolean,
): Promise<TaskProgress> {
  return new Promise((resolve) => {
    const listener = (progress: TaskProgress): void => {
      if (progress.runId === runId && predicate(progress)) {
        engine.events.off('task:progress', listener);
        resolve(progress);
      }
    };
    engine.events.on('task:progress', listener);
  });
}

function clientRow(clientId: number): { status: string; status_reason: string | null } {
  return harness.db
    .prepare('SELECT status, status_reason FROM clients WHERE id = ?')
    .get(clientId) as { status: string; status_reason: string | null };
}

function uniqueEmails(state: Awaited<ReturnType<typeof snapshot>>): number {
  return new Set(state.candidates.map((candidate) => candidate.emailAddresses[0]?.value)).size;
}

describe('connection cases against the sandbox', () => {
  it('drops nothing under per-key and partner rate limits', async () => {
    harness = await createHarness({ timeScale: 20 });
    const busy = await harness.tenant('Busy Client');
    const quiet = await harness.tenant('Quiet Client');
    const busyRole = await roleWithCandidates(busy, 60, 'Busy');
    const quietRole = await roleWithCandidates(quiet, 20, 'Quiet');
    await addFault(harness.sandbox, {
      tenant: busy.name,
      endpoint: '*',
      kind: 'rate_limit',
      rate: 0.1,
      ms: 2_000,
    });
    const engine = harness.engine();

    const busyRun = await engine.startBulkPush(busyRole);
    const quietRun = await engine.startBulkPush(quietRole);
    await engine.runUntilIdle({ timeoutMs: 60_000 });

    expect(engine.getRun(busyRun)?.status).toBe('completed');
    expect(engine.getRun(quietRun)?.status).toBe('completed');
    const busyState = await snapshot(harness.sandbox, busy.name);
    expect(busyState.candidates).toHaveLength(60);
    expect(busyState.applications).toHaveLength(60);
    expect(uniqueEmails(busyState)).toBe(60);
    expect((await snapshot(harness.sandbox, quiet.name)).applications).toHaveLength(20);
    // A per-key 429 pauses that key only: nothing paused the registry as a whole.
    expect(harness.limiter.pausedUntil).toBe(0);

    // A partner-scope 429 pauses every key.
    const extra = insertCandidate(harness, quiet.clientId, quietRole, {
      name: 'Quiet Extra',
      email: 'quiet.extra@example.com',
    });
    await addFault(harness.sandbox, {
      tenant: quiet.name,
      endpoint: '*',
      kind: 'partner_rate_limit',
      times: 1,
      ms: 2_000,
    });
    engine.manualPush(extra);
    await engine.runUntilIdle({ timeoutMs: 30_000 });
    expect(harness.limiter.pausedUntil).toBeGreaterThan(0);
    expect((await snapshot(harness.sandbox, quiet.name)).applications).toHaveLength(21);
  });

  it('pauses a client whose key is revoked mid-push', async () => {
    harness = await createHarness({ latencyMs: 3 });
    const revoked = await harness.tenant('Revoked Client');
    const healthy = await harness.tenant('Healthy Client');
    const revokedRole = await roleWithCandidates(revoked, 40, 'Revoked');
    const healthyRole = await roleWithCandidates(healthy, 15, 'Healthy');
    const engine = harness.engine({ batchSize: 5 });

    const revokedRun = await engine.startBulkPush(revokedRole);
    const healthyRun = await engine.startBulkPush(healthyRole);
    const midway = waitForRun(engine, revokedRun, (progress) => progress.done >= 8);
    await engine.start();
    await midway;
    const response = await fetch(`${harness.sandbox.url}/_sandbox/keys/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: revoked.apiKey }),
    });
    expect(response.ok).toBe(true);
    await engine.runUntilIdle({ timeoutMs: 30_000 });

    const status = clientRow(revoked.clientId);
    expect(status.status).toBe('disconnected');
    expect(status.status_reason).toContain('key rejected');
    const counts = harness.db
      .prepare('SELECT status, COUNT(*) AS count FROM outbox WHERE run_id = ? GROUP BY status')
      .all(revokedRun) as { status: string; count: number }[];
    const byStatus = Object.fromEntries(counts.map((row) => [row.status, row.count]));
    expect((byStatus.done ?? 0) + (byStatus.paused ?? 0)).toBe(40);
    expect(byStatus.paused).toBeGreaterThan(0);
    expect(engine.getRun(healthyRun)?.status).toBe('completed');
    expect((await snapshot(harness.sandbox, healthy.name)).applications).toHaveLength(15);

    // A new key for the same tenant resumes where the push stopped.
    harness.keys.set(revoked.clientId, harness.sandbox.createKey(revoked.name));
    const test = await engine.reconnectClient(revoked.clientId);
    expect(test.ok).toBe(true);
    await engine.runUntilIdle({ timeoutMs: 30_000 });

    expect(clientRow(revoked.clientId).status).toBe('connected');
    expect(engine.getRun(revokedRun)?.status).toBe('completed');
    const state = await snapshot(harness.sandbox, revoked.name);
    expect(state.candidates).toHaveLength(40);
    expect(state.applications).toHaveLength(40);
    expect(uniqueEmails(state)).toBe(40);
  });

  it('names the missing permission per event', async () => {
    harness = await createHarness();
    const tenant = await harness.tenant('Read Only Client');
    const permissions = [
      'apiKeysRead',
      'candidatesRead',
      'jobsRead',
      'interviewsRead',
      'hiringProcessMetadataRead',
    ];
    harness.keys.set(tenant.clientId, harness.sandbox.createKey(tenant.name, { permissions }));
    const job = await jobByTitle(tenant.ashby);
    const existing = await tenant.ashby.candidate.create({
      name: 'Known Person',
      email: 'known@example.com',
    });
    await tenant.ashby.application.create({ candidateId: existing.results.id, jobId: job.id });
    const roleId = insertRole(harness.db, tenant.clientId, null);
    const known = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Known Person',
      email: 'known@example.com',
    });
    const unknown = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'New Person',
      email: 'new@example.com',
    });
    const engine = harness.engine();

    const test = await engine.testConnection(tenant.clientId);
    expect(test.ok).toBe(false);
    for (const event of ['request_intro', 'complete_intro', 'archive', 'hire']) {
      expect(test.permissions?.events.find((entry) => entry.event === event)?.missing).toEqual([
        'candidatesWrite',
      ]);
      expect(test.message).toContain(`${event} needs missing permission candidatesWrite`);
    }

    // Reads still work: linking the role resolves who is already in Ashby.
    const runId = await engine.linkRole(roleId, job.id);
    await engine.runUntilIdle();
    expect(engine.getRun(runId)?.status).toBe('completed');
    const statusOf = (candidateId: number): string =>
      (
        harness.db.prepare('SELECT ashby_status FROM candidates WHERE id = ?').get(candidateId) as {
          ashby_status: string;
        }
      ).ashby_status;
    expect(statusOf(known)).toBe('linked');
    expect(statusOf(unknown)).toBe('not_in_ashby');

    // A write fails with the permission named.
    const outboxId = engine.manualPush(unknown);
    await engine.runUntilIdle();
    const item = harness.db
      .prepare('SELECT status, reason FROM outbox WHERE id = ?')
      .get(outboxId) as { status: string; reason: string };
    expect(item.status).toBe('needs_attention');
    expect(item.reason).toContain('missing permission candidatesWrite');
    expect((await snapshot(harness.sandbox, tenant.name)).candidates).toHaveLength(1);
  });
});

describe('fairness between clients', () => {
  it('serves a small client during a big run', async () => {
    harness = await createHarness({ latencyMs: 2 });
    const big = await harness.tenant('Big Client');
    const small = await harness.tenant('Small Client');
    const bigRole = await roleWithCandidates(big, 120, 'Big');
    const smallRole = await roleWithCandidates(small, 5, 'Small');
    const engine = harness.engine({ batchSize: 10 });

    const bigRun = await engine.startBulkPush(bigRole);
    const bigStarted = waitForRun(engine, bigRun, (progress) => progress.done >= 5);
    await engine.start();
    await bigStarted;
    const smallRun = await engine.startBulkPush(smallRole);
    const smallDone = await waitForRun(
      engine,
      smallRun,
      (progress) => progress.status === 'completed',
    );

    // The small client finished while the big run still had most of its items left.
    expect(smallDone.done).toBe(5);
    const bigAtThatMoment = engine.getRun(bigRun);
    expect(bigAtThatMoment?.status).toBe('running');
    expect(bigAtThatMoment?.done).toBeLessThan(100);
    await engine.runUntilIdle({ timeoutMs: 60_000 });
    expect(engine.getRun(bigRun)?.status).toBe('completed');
  });
});
