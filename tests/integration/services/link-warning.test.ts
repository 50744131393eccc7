// Linking a role to an Ashby job that is not Open: the link is made, and the result warns that
// Ashby rejects new applications on such a job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { upsertRole } from '../../../core/store/repo/roles.js';
import { addClient, linkRole, openServices, type Services } from '../../../core/services/index.js';

const TENANT = 'Northwind Robotics';

let sandbox: Sandbox;
let dataDir: string;
let services: Services;
let clientId: number;

// The sandbox's state lists every job; `listJobs` leaves drafts out.
async function jobId(title: string): Promise<string> {
  const state = (await (await fetch(`${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`)).json()) as { jobs: { id: string; title: string }[] };
  const job = state.jobs.find((entry) => entry.title === title);
  expect(job, `job "${title}" in the demo seed`).toBeDefined();
  return job?.id ?? '';
}

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'link-warning-test-'));
  services = await openServices({ dataDir, env: { ASHBY_SYNC_SECRET_STORE: 'memory' }, runEngine: true, fileLogging: false });
  const apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  clientId = (await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey, sandbox: true })).client.id;
  upsertRole(services.db, services.clock, { clientId, externalId: 'r-1', title: 'Data Scientist' });
});

afterEach(async () => {
  await services.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('linkRole job status', () => {
  it.each([
    ['Data Scientist', 'Closed'],
    ['Head of Sales', 'Draft'],
  ])('warns for %s (%s)', async (title, status) => {
    const result = await linkRole(services, clientId, 'r-1', await jobId(title), { timeoutMs: 30_000 });
    expect(result.role.ashbyJobTitle).toBe(title);
    expect(result.warning).toContain(`is ${status}, not Open`);
    expect(result.warning).toContain('Ashby rejects new applications');
    expect(result.warning).toContain('needs attention');
  });

  it('has no warning for an Open job', async () => {
    const result = await linkRole(services, clientId, 'r-1', await jobId('Senior Backend Engineer'), { timeoutMs: 30_000 });
    expect(result.role.ashbyJobTitle).toBe('Senior Backend Engineer');
    expect(result.warning).toBeUndefined();
  });

  it('warns without waiting for resolution', async () => {
    const result = await linkRole(services, clientId, 'r-1', await jobId('Data Scientist'), { wait: false });
    expect(result.warning).toContain('is Closed, not Open');
  });
});
