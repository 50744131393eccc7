// End to end through the real CLI: connect a sandbox tenant, import its sample export, link a role,
// push, sync, then check the sandbox's state over HTTP and an audit export read back from disk.
//
// Each command is its own process, so the key must outlive one process. The client is added with
// --sandbox, which keeps its key in the database as for the built-in sandbox and so works on every
// machine. cli-keychain.test.ts covers the keychain path when a Secret Service is running.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { createCliHarness, SAMPLES, type CliHarness } from './cli-harness.js';

const TENANT = 'Northwind Robotics';
const BACKEND_JOB = 'Senior Backend Engineer';

interface SandboxCandidate {
  id: string;
  name: string;
}
interface SandboxApplication {
  id: string;
  candidate: { id: string; name: string };
  job: { id: string; title: string };
  currentInterviewStage: { title: string };
  source: { title: string } | null;
}
interface SandboxState {
  candidates: SandboxCandidate[];
  applications: SandboxApplication[];
  jobs: { id: string; title: string; status: string }[];
  sources: { id: string; title: string }[];
  archiveReasons: { id: string; text: string }[];
}

let sandbox: Sandbox;
let cli: CliHarness;
let apiKey: string;

async function sandboxState(): Promise<SandboxState> {
  const response = await fetch(
    `${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxState;
}

function named(state: SandboxState, name: string): SandboxCandidate[] {
  return state.candidates.filter((candidate) => candidate.name === name);
}

function applicationsOf(state: SandboxState, name: string): SandboxApplication[] {
  return state.applications.filter(
    (application) => application.candidate.name === name && application.job.title === BACKEND_JOB,
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  cli = createCliHarness();
});

afterAll(async () => {
  await sandbox.close();
  rmSync(cli.dataDir, { recursive: true, force: true });
});

describe('cli end to end', () => {
  it('connects, imports, links, pushes and syncs', async () => {
    const before = await sandboxState();
    const backendJob = before.jobs.find((job) => job.title === BACKEND_JOB);
    const source = before.sources.find((entry) => entry.title === 'Jack & Jill');
    const reason = before.archiveReasons.find((entry) => entry.text === 'Not a fit');
    expect(backendJob).toBeDefined();
    expect(source).toBeDefined();
    expect(reason).toBeDefined();
    const existingJane = named(before, 'Jane Roe');
    const existingOmar = named(before, 'Omar Haddad');
    expect(existingJane).toHaveLength(1);
    expect(existingOmar).toHaveLength(1);

    const added = await cli.run(
      ['clients', 'add', '--name', TENANT, '--base-url', sandbox.url, '--sandbox'],
      { input: `${apiKey}\n` },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added client ${TENANT}`);

    const set = await cli.run([
      'clients',
      'set',
      TENANT,
      '--source-id',
      source?.id ?? '',
      '--archive-reason-id',
      reason?.id ?? '',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('source: null -> "Jack & Jill"');

    const imported = await cli.run([
      'import',
      TENANT,
      path.join(SAMPLES, 'northwind-robotics.json'),
    ]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported 14 of 17 rows');
    expect(imported.stdout).toContain('3 rows rejected:');
    expect(imported.stdout).toContain('roles[2].candidates[3]: resume = "resumes/carlos-vega-cv.pdf": imported without resume: resume file not found');

    const roles = await cli.json(['roles', 'list', TENANT]);
    const roleList = roles.document.result as { id: number; externalId: string; title: string }[];
    expect(roleList.map((role) => role.externalId).sort()).toEqual([
      'nw-role-001',
      'nw-role-002',
      'nw-role-003',
    ]);

    // The export's role id and the console id both work.
    const linked = await cli.json(['roles', 'link', TENANT, 'nw-role-001', backendJob?.id ?? '']);
    expect(linked.run.code).toBe(0);
    const link = linked.document.result as {
      runStatus: string;
      role: { linkStatus: string; byAshbyStatus: { linked: number } };
    };
    expect(link.runStatus).toBe('completed');
    expect(link.role.linkStatus).toBe('linked');
    // Priya Natarajan already has an application on the job in the demo seed.
    expect(link.role.byAshbyStatus.linked).toBe(1);

    const dryRun = await cli.json(['push', TENANT, 'nw-role-001', '--dry-run']);
    const plan = dryRun.document.result as {
      plan: { bulk: { total: number; byEvent: Record<string, number> } };
      runId: number | null;
    };
    expect(plan.runId).toBeNull();
    // Link resolution found Mateo Rinaldi (archived) not in Ashby, so there is nothing to archive.
    expect(plan.plan.bulk.total).toBe(3);
    expect(plan.plan.bulk.byEvent).toEqual({ request_intro: 1, complete_intro: 1, hire: 1 });
    expect(await sandboxState()).toEqual(before);

    const pushed = await cli.json([
      'push',
      TENANT,
      String(roleList.find((role) => role.externalId === 'nw-role-001')?.id),
    ]);
    expect(pushed.run.code).toBe(0);
    expect((pushed.document.result as { runId: number | null }).runId).not.toBeNull();

    const synced = await cli.run(['sync']);
    expect(synced.stdout).toContain('Sent 3 items; 0 failed.');
    expect(synced.code).toBe(0);

    const after = await sandboxState();
    // Existing people are linked, not created again.
    expect(named(after, 'Jane Roe').map((candidate) => candidate.id)).toEqual(
      existingJane.map((candidate) => candidate.id),
    );
    expect(named(after, 'Omar Haddad').map((candidate) => candidate.id)).toEqual(
      existingOmar.map((candidate) => candidate.id),
    );
    // New people are created once.
    expect(named(after, 'Aisha Bello')).toHaveLength(1);
    // Shortlist is off by default, and an archive for someone not in Ashby creates nothing.
    expect(named(after, 'Tobias Keller')).toHaveLength(0);
    expect(named(after, 'Mateo Rinaldi')).toHaveLength(0);
    expect(after.candidates.length).toBe(before.candidates.length + 1);

    expect(
      applicationsOf(after, 'Jane Roe').map(
        (application) => application.currentInterviewStage.title,
      ),
    ).toEqual(['Reached Out']);
    expect(
      applicationsOf(after, 'Omar Haddad').map(
        (application) => application.currentInterviewStage.title,
      ),
    ).toEqual(['Application Review']);
    expect(
      applicationsOf(after, 'Aisha Bello').map(
        (application) => application.currentInterviewStage.title,
      ),
    ).toEqual(['Hired']);
    expect(applicationsOf(after, 'Aisha Bello')[0]?.source?.title).toBe('Jack & Jill');
    // Priya was past Reached Out already and is never moved backwards.
    expect(
      applicationsOf(after, 'Priya Natarajan').map(
        (application) => application.currentInterviewStage.title,
      ),
    ).toEqual(['Phone Screen']);

    // A second push has nothing left to send, and a second sync creates nothing.
    const again = await cli.json(['push', TENANT, 'nw-role-001']);
    expect(
      (again.document.result as { plan: { bulk: { byEvent: Record<string, number> } } }).plan.bulk
        .byEvent,
    ).toEqual({});
    expect((await cli.run(['sync'])).code).toBe(0);
    expect((await sandboxState()).candidates.length).toBe(after.candidates.length);
    expect((await sandboxState()).applications.length).toBe(after.applications.length);

    const listed = await cli.json(['clients', 'list']);
    const clients = listed.document.result as {
      name: string;
      status: string;
      lastPushAt: string | null;
      counts: { pending: number };
    }[];
    expect(clients).toHaveLength(1);
    expect(clients[0]?.status).toBe('connected');
    expect(clients[0]?.lastPushAt).not.toBeNull();
    expect(clients[0]?.counts.pending).toBe(0);

    // Audit export, JSON Lines: every line parses, the key is never in it.
    const jsonlFile = path.join(cli.dataDir, 'audit.jsonl');
    const exported = await cli.run([
      'audit',
      'export',
      '--format',
      'jsonl',
      '--out',
      jsonlFile,
      '--client',
      TENANT,
    ]);
    expect(exported.code).toBe(0);
    const text = readFileSync(jsonlFile, 'utf8');
    expect(text).not.toContain(apiKey);
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const actions = entries.map((entry) => entry['action']);
    expect(actions).toContain('client.added');
    expect(actions).toContain('settings.changed');
    expect(actions).toContain('pipeline.import');
    expect(actions).toContain('role_linked');
    expect(actions).toContain('bulk_push_started');
    const aishaEntries = entries.filter((entry) => JSON.stringify(entry).includes('Aisha Bello'));
    expect(
      aishaEntries.some(
        (entry) =>
          typeof entry['ashbyCandidateId'] === 'string' && entry['ashbyCandidateId'] !== '',
      ),
    ).toBe(true);

    // CSV with redacted personal data: parses back, names replaced.
    const csvFile = path.join(cli.dataDir, 'audit.csv');
    expect(
      (await cli.run(['audit', 'export', '--format', 'csv', '--out', csvFile, '--redact-pii']))
        .code,
    ).toBe(0);
    const csvText = readFileSync(csvFile, 'utf8');
    const rows = parse(csvText, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThanOrEqual(entries.length);
    expect(csvText).not.toContain('Aisha Bello');
    expect(csvText).not.toContain(apiKey);
  });
});
