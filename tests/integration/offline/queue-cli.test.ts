// Review before push through the CLI, to the end: the queue commands approve one push and discard
// another, `sync` sends the approved one, and `audit export` hands over the decisions, with and
// without personal data.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { createCliHarness, SAMPLES, type CliHarness } from '../cli/cli-harness.js';

const TENANT = 'Acme Health';
const ROLE = 'acme-role-001';

let sandbox: Sandbox;
let cli: CliHarness;

async function candidateNames(): Promise<string[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`);
  const state = (await response.json()) as { candidates: { name: string }[] };
  return state.candidates.map((candidate) => candidate.name);
}

async function expectSuccess(args: string[]): Promise<unknown> {
  const { run, document } = await cli.json(args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return document.result;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  cli = createCliHarness();
  const apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  const added = await cli.run(['clients', 'add', '--name', TENANT, '--base-url', sandbox.url, '--sandbox'], { input: apiKey });
  expect(added.code, added.stderr).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(cli.dataDir, { recursive: true, force: true });
});

describe('queue commands end to end', () => {
  it('approve, discard, sync and export', async () => {
    expect((await cli.run(['import', TENANT, path.join(SAMPLES, 'acme-health.csv')])).code).toBe(0);
    const jobs = (await expectSuccess(['clients', 'jobs', TENANT])) as { id: string; title: string }[];
    const job = jobs.find((entry) => entry.title === 'Full-Stack Engineer');
    expect((await cli.run(['roles', 'link', TENANT, ROLE, job?.id ?? ''])).code).toBe(0);
    expect((await cli.run(['clients', 'set', TENANT, '--review-before-push', 'on'])).code).toBe(0);

    const grace = (await expectSuccess(['act', TENANT, ROLE, 'acme-cand-002', 'request_intro'])) as { outboxId: number };
    const chloe = (await expectSuccess(['act', TENANT, ROLE, 'acme-cand-006', 'request_intro'])) as { outboxId: number; candidateName: string };
    expect(chloe.candidateName).toBe('Chloé Martin');
    const before = await candidateNames();

    // Nothing is sent while the pushes wait for review.
    await expectSuccess(['sync', TENANT, '--timeout', '30']);
    expect(await candidateNames()).toEqual(before);

    expect(await expectSuccess(['queue', 'approve', String(grace.outboxId)])).toEqual({ changed: [grace.outboxId], skipped: [], notFound: [] });
    expect(await expectSuccess(['queue', 'discard', String(chloe.outboxId), '--reason', 'client already met her'])).toEqual({
      changed: [chloe.outboxId],
      skipped: [],
      notFound: [],
    });
    await expectSuccess(['sync', TENANT, '--timeout', '60']);

    const after = await candidateNames();
    expect(after.filter((name) => name === 'Grace Whitfield')).toHaveLength(1);
    expect(after).not.toContain('Chloé Martin');
    expect(after).toHaveLength(before.length + 1);

    const plainFile = path.join(cli.dataDir, 'audit.csv');
    await expectSuccess(['audit', 'export', '--format', 'csv', '--client', TENANT, '--out', plainFile]);
    const plain = readFileSync(plainFile, 'utf8');
    expect(plain.charCodeAt(0)).toBe(0xfeff);
    expect(plain).toContain('review_approved');
    expect(plain).toContain('discarded: client already met her');
    expect(plain).toContain('Chloé Martin');

    const redactedFile = path.join(cli.dataDir, 'audit.jsonl');
    await expectSuccess(['audit', 'export', '--format', 'jsonl', '--client', TENANT, '--redact-pii', '--out', redactedFile]);
    const lines = readFileSync(redactedFile, 'utf8').trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.some((record) => record['action'] === 'review_discarded')).toBe(true);
    expect(lines.join('\n')).not.toContain('Chloé Martin');
    expect(lines.join('\n')).not.toContain('grace.whitfield@example.com');
  }, 120_000);
});
