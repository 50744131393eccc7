import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
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

  it('builds the index for a large batch, then refreshes it', async () => {
    for (let index = 0; index < 20; index += 1) {
      const candidateId = insertCandidate(harness, tenant.clientId, roleId, {
        name: `Tenant ${index}`,
        email: `tenant.${index}@example.com`,
      });
      enqueue(harness, { clientId: tenant.clientId, roleId, candidateId, event: 'request_intro' });
    }
    const engine = harness.engine({ batchSize: 20 });

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
    expect((await snapshot(harness.sandbox, tenant.name)).applications).toHaveLength(21);
  });
});
