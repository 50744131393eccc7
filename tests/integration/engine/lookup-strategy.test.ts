import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addFault,
  createHarness,
  enqueue,
  insertCandidate,
  insertRole,
  jobByTitle,
  snapshot,
  type Harness,
  type TenantHandle,
} from './harness.js';

let harness: Harness;
let tenant: TenantHandle;
let roleId: number;

beforeEach(async () => {
  harness = await createHarness();
  tenant = await harness.tenant('Strategy Client');
  const job = await jobByTitle(tenant.ashby);
  roleId = insertRole(harness.db, tenant.clientId, job.id);
  // A tenant of 250 candidates: three pages of candidate.list.
  for (let index = 0; index < 250; index += 1) {
    await tenant.ashby.candidate.create({
      name: `Tenant ${index}`,
      email: `tenant.${index}@example.com`,
    });
  }
  harness.sandbox.resetCallCounts(tenant.name);
});

afterEach(async () => {
  await harness.close();
});

describe('lookup strategy', () => {
  it('searches for a handful of candidates', async () => {
    const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Tenant 7',
      email: 'tenant.7@example.com',
    });
    enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });

    await harness.engine().runUntilIdle();

    const calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.search']).toBeGreaterThanOrEqual(1);
    expect(calls['candidate.list']).toBeUndefined();
    expect(calls['candidate.create']).toBeUndefined();
    expect((await snapshot(harness.sandbox, tenant.name)).applications).toHaveLength(1);
  });

  it('builds index, then reads changes', async () => {
    for (let index = 0; index < 20; index += 1) {
      const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
        name: `Tenant ${index}`,
        email: `tenant.${index}@example.com`,
      });
      enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });
    }
    // With no time of trust, every batch reads what changed since the last one.
    const engine = harness.engine({ batchSize: 20, indexMaxAgeMs: 0, planMaxAgeMs: 0 });

    await engine.runUntilIdle();

    let calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.list']).toBe(3);
    expect(calls['candidate.search']).toBeUndefined();
    expect(calls['candidate.create']).toBeUndefined();

    // The next batch reads only what changed since the sync token.
    harness.sandbox.resetCallCounts(tenant.name);
    const later = insertCandidate(harness, tenant.clientId, roleId, {
      name: 'Tenant 200',
      email: 'tenant.200@example.com',
    });
    enqueue(harness, {
      clientId: tenant.clientId,
      roleId,
      candidateId: later,
      event: 'request_intro',
    });
    await engine.runUntilIdle();
    calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.list']).toBe(1);
    expect(calls['job.info']).toBe(1);
    expect((await snapshot(harness.sandbox, tenant.name)).applications).toHaveLength(21);
  });

  it('push after link reads nothing again', async () => {
    const job = await jobByTitle(tenant.ashby);
    const linkedRoleId = insertRole(harness.db, tenant.clientId, null, 'Linked Later');
    for (let index = 0; index < 20; index += 1) {
      insertCandidate(harness, tenant.clientId, linkedRoleId, {
        name: `Tenant ${index}`,
        email: `tenant.${index}@example.com`,
      });
    }
    const engine = harness.engine();
    await engine.linkRole(linkedRoleId, job.id);
    await engine.runUntilIdle();
    expect(harness.sandbox.callCounts(tenant.name).byEndpoint['candidate.list']).toBe(3);

    harness.sandbox.resetCallCounts(tenant.name);
    const newcomer = insertCandidate(harness, tenant.clientId, linkedRoleId, {
      name: 'Newcomer',
      email: 'newcomer@example.com',
    });
    enqueue(harness, {
      clientId: tenant.clientId,
      roleId: linkedRoleId,
      candidateId: newcomer,
      event: 'request_intro',
    });
    await engine.runUntilIdle();

    const calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.list']).toBeUndefined();
    expect(calls['application.list']).toBeUndefined();
    expect(calls['job.info']).toBeUndefined();
    expect(calls['candidate.create']).toBe(1);
    expect(calls['application.create']).toBe(1);
  });

  it('fresh index and plan trusted', async () => {
    const push = (index: number): void => {
      const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
        name: `Tenant ${index}`,
        email: `tenant.${index}@example.com`,
      });
      enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });
    };
    for (let index = 0; index < 20; index += 1) push(index);
    const engine = harness.engine({ batchSize: 20, backoffBaseMs: 10 });
    await engine.runUntilIdle();
    expect(harness.sandbox.callCounts(tenant.name).byEndpoint['candidate.list']).toBe(3);

    // Within the time of trust the next batch spends its calls on the writes alone.
    harness.sandbox.resetCallCounts(tenant.name);
    push(20);
    await engine.runUntilIdle();
    let calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.list']).toBeUndefined();
    expect(calls['application.list']).toBeUndefined();
    expect(calls['job.info']).toBeUndefined();
    expect(calls['application.create']).toBe(1);

    // A failed write may have changed Ashby, so the batch that retries it reads the changes first.
    await addFault(harness.sandbox, {
      tenant: tenant.name,
      endpoint: 'application.create',
      kind: 'http_500',
      times: 1,
    });
    harness.sandbox.resetCallCounts(tenant.name);
    push(21);
    await engine.runUntilIdle();
    calls = harness.sandbox.callCounts(tenant.name).byEndpoint;
    expect(calls['candidate.list']).toBe(1);
    expect(calls['application.list']).toBe(1);
    expect(calls['application.create']).toBe(2);
    expect((await snapshot(harness.sandbox, tenant.name)).applications).toHaveLength(22);
  });
});
