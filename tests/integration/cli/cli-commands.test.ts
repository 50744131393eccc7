// CLI behaviour beyond the happy path: exit codes, --json documents, key and permission failures,
// queue review commands, imports with rejected rows, and the one-engine-per-data-folder rule.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { acquireLock, releaseLock } from '../../../core/engine/lock.js';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { closeDatabase, openDatabase } from '../../../core/store/db.js';
import { createCliHarness, SAMPLES, type CliHarness } from './cli-harness.js';

const TENANT = 'Acme Health';
const ALL_BUT_CANDIDATES_WRITE = [
  'apiKeysRead',
  'candidatesRead',
  'jobsRead',
  'interviewsRead',
  'hiringProcessMetadataRead',
  'organizationRead',
];

let sandbox: Sandbox;
let cli: CliHarness;
let apiKey: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  cli = createCliHarness();
  const added = await cli.run(['clients', 'add', '--name', TENANT, '--base-url', sandbox.url, '--sandbox'], { input: apiKey });
  expect(added.code).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(cli.dataDir, { recursive: true, force: true });
});

describe('cli exit codes', () => {
  it('unknown command exits 2', async () => {
    const result = await cli.run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('missing required option exits 2', async () => {
    const result = await cli.run(['clients', 'add'], { input: apiKey });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--name');
  });

  it('invalid action exits 2', async () => {
    const result = await cli.run(['act', TENANT, 'acme-role-001', 'acme-cand-001', 'interview']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('shortlist, request_intro, complete_intro, archive, hire');
  });

  it('invalid event list exits 2', async () => {
    const result = await cli.run(['clients', 'set', TENANT, '--events', 'hire,promote']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"promote"');
  });

  it('usage error with --json prints one error document', async () => {
    const { run, document } = await cli.json(['queue', 'approve']);
    expect(run.code).toBe(2);
    expect(document.ok).toBe(false);
    expect(document.error?.code).toBe('usage');
    expect(document.error?.message).toContain('--all');
  });

  it('unknown client exits 1 naming known clients', async () => {
    const result = await cli.run(['roles', 'list', 'Initech']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No client named "Initech"');
    expect(result.stderr).toContain(TENANT);
  });

  it('empty stdin key exits 2 saying how to pipe it', async () => {
    const result = await cli.run(['clients', 'add', '--name', 'Nobody', '--base-url', sandbox.url], { input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No API key on stdin');
  });
});

describe('cli key verification', () => {
  it('rejected key exits 1 and says how to fix it', async () => {
    const result = await cli.run(['clients', 'add', '--name', 'Wrong Key', '--base-url', sandbox.url, '--sandbox'], { input: 'not-a-real-key' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Ashby rejected the API key for Wrong Key');
    expect(result.stderr).toContain('create a new one');
    const listed = await cli.json(['clients', 'list']);
    expect((listed.document.result as { name: string }[]).map((client) => client.name)).toEqual([TENANT]);
  });

  it('sandbox key for a remote host exits 1', async () => {
    // 0.0.0.0 is not a loopback address, yet a connection to it stays on this machine.
    const remote = sandbox.url.replace('127.0.0.1', '0.0.0.0');
    const result = await cli.run(['clients', 'add', '--name', 'Remote', '--base-url', remote, '--sandbox'], { input: apiKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Sandbox keys are kept in the database');
    expect(result.stderr).toContain('without --sandbox');
    const listed = await cli.json(['clients', 'list']);
    expect((listed.document.result as { name: string }[]).map((client) => client.name)).not.toContain('Remote');
  });

  it('unreachable base URL exits 1', async () => {
    const closed = await startSandbox({ port: 0, seed: 'empty' });
    const url = closed.url;
    await closed.close();
    const result = await cli.run(['clients', 'add', '--name', 'Gone', '--base-url', url, '--sandbox'], { input: apiKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not reach Ashby at ${url}`);
    // The cause is given once, without the client's own "Could not reach Ashby for apiKey.info" prefix.
    expect(result.stderr).toContain(`Could not reach Ashby at ${url} for Gone: `);
    expect(result.stderr.match(/Could not reach/g)).toHaveLength(1);
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  it('missing permission is named per enabled event', async () => {
    const key = sandbox.createKey('Globex Logistics', { permissions: ALL_BUT_CANDIDATES_WRITE });
    const { run, document } = await cli.json(['clients', 'add', '--name', 'Globex Logistics', '--base-url', sandbox.url, '--sandbox'], {
      input: key,
    });
    expect(run.code).toBe(1);
    expect(document.error?.code).toBe('ashby_permission');
    for (const event of ['request_intro', 'complete_intro', 'archive', 'hire']) {
      expect(document.error?.message).toContain(`${event} needs candidatesWrite`);
    }
    expect(document.error?.message).not.toContain('shortlist');
    // Nothing was stored, so the message must not speak of reads that still work.
    expect(document.error?.message).toContain('The client Globex Logistics was not added');
    expect(document.error?.message).toContain('grant those permissions to the key in Ashby');
    expect(document.error?.message).not.toContain('Reads still work');
    const details = document.error?.details as { verification: { checklist: { event: string; permission: string; granted: boolean }[] } };
    const missing = details.verification.checklist.filter((line) => !line.granted);
    expect(missing.map((line) => line.event)).toEqual(['request_intro', 'complete_intro', 'archive', 'hire']);
    expect(new Set(missing.map((line) => line.permission))).toEqual(new Set(['candidatesWrite']));
  });

  it('clients test reports permissions removed later', async () => {
    const key = sandbox.createKey('Globex Logistics');
    const name = 'Globex Later';
    expect((await cli.run(['clients', 'add', '--name', name, '--base-url', sandbox.url, '--sandbox'], { input: key })).code).toBe(0);
    sandbox.setKeyPermissions(key, ALL_BUT_CANDIDATES_WRITE);

    const tested = await cli.run(['clients', 'test', name]);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toContain('hire needs candidatesWrite');
    expect(tested.stdout).toMatch(/hire\s+.*\[ \] candidatesWrite/);
    const listed = await cli.json(['clients', 'list']);
    const client = (listed.document.result as { name: string; status: string; statusReason: string | null }[]).find((entry) => entry.name === name);
    expect(client?.status).toBe('needs_attention');
    expect(client?.statusReason).toContain('candidatesWrite');
  });
});

describe('cli json output', () => {
  it('every command prints one parseable document', async () => {
    for (const args of [['clients', 'list'], ['roles', 'list', TENANT], ['queue', 'list'], ['clients', 'jobs', TENANT], ['clients', 'sources', TENANT]]) {
      const { run, document } = await cli.json(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(document.ok, args.join(' ')).toBe(true);
      expect(Array.isArray(document.result), args.join(' ')).toBe(true);
    }
  });
});

describe('cli import', () => {
  it('rejected rows exit 0 and are listed', async () => {
    const result = await cli.run(['import', TENANT, path.join(SAMPLES, 'acme-health.csv')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\d+ rows rejected:/);
    expect(result.stdout).toMatch(/line \d+: /);

    const { document } = await cli.json(['import', TENANT, path.join(SAMPLES, 'acme-health.csv')]);
    const report = document.result as { rowsRejected: number; rejected: { line?: number; reason: string }[]; eventsFired: number };
    expect(report.rowsRejected).toBeGreaterThan(0);
    expect(report.rejected.every((row) => typeof row.line === 'number' && row.reason !== '')).toBe(true);
    // The same file twice fires nothing the second time.
    expect(report.eventsFired).toBe(0);
  });

  it('unusable file exits 1', async () => {
    const missing = await cli.run(['import', TENANT, path.join(cli.dataDir, 'no-such-export.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Nothing was imported');

    const wrongColumns = path.join(cli.dataDir, 'wrong-columns.csv');
    writeFileSync(wrongColumns, 'first,second\n1,2\n');
    const malformed = await cli.run(['import', TENANT, wrongColumns]);
    expect(malformed.code).toBe(1);

    const noFormat = path.join(cli.dataDir, 'no-format.json');
    writeFileSync(noFormat, '{"foo":1}');
    const unformatted = await cli.run(['import', TENANT, noFormat]);
    expect(unformatted.code).toBe(1);
    expect(unformatted.stderr).toContain('is missing the "format" field');
    expect(unformatted.stderr).toContain('"format": "');
    expect(unformatted.stderr).not.toContain('null');
  });
});

describe('cli counts', () => {
  it('one row reads singular', async () => {
    const file = path.join(cli.dataDir, 'one-row.csv');
    writeFileSync(
      file,
      'role_id,role_title,candidate_id,name,email,linkedin_url,phone,resume_path,state,state_changed_at\n' +
        'acme-role-009,Staff Nurse,acme-cand-901,Ines Duarte,ines.duarte@example.com,,,,shortlisted,2026-11-20T09:00:00Z\n',
    );
    const result = await cli.run(['import', TENANT, file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Imported 1 of 1 row: 1 candidate created');
    expect(result.stdout).toMatch(/, 1 event queued\.|, 0 events queued\./);
    expect(result.stderr).toContain('import: ');
    expect(result.stderr).not.toContain('1 rows');
  });
});

describe('cli relative paths', () => {
  it('resolve against INIT_CWD', async () => {
    // npm runs the CLI from the repository root and passes the user's folder in INIT_CWD.
    const folder = mkdtempSync(path.join(tmpdir(), 'cli-cwd-'));
    try {
      copyFileSync(path.join(SAMPLES, 'acme-health.csv'), path.join(folder, 'export.csv'));
      const env = { INIT_CWD: folder };
      const imported = await cli.run(['import', TENANT, 'export.csv'], { env });
      expect(imported.stderr).not.toContain('error');
      expect(imported.code).toBe(0);

      const exported = await cli.run(['audit', 'export', '--format', 'csv', '--out', 'audit.csv'], { env });
      expect(exported.code).toBe(0);
      expect(existsSync(path.join(folder, 'audit.csv'))).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('cli audit export', () => {
  it('missing folder exits 1 naming it', async () => {
    const folder = path.join(cli.dataDir, 'no-such-folder');
    const result = await cli.run(['audit', 'export', '--format', 'csv', '--out', path.join(folder, 'audit.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the folder ${folder} does not exist`);
    expect(result.stderr).not.toContain('.partial');
    expect(result.stderr).not.toContain('Unexpected failure');
  });
});

describe('cli queue', () => {
  it('review, approve and discard', async () => {
    const state = await (await fetch(`${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(TENANT)}`)).json() as {
      jobs: { id: string; title: string }[];
    };
    const job = state.jobs.find((entry) => entry.title === 'Full-Stack Engineer');
    expect((await cli.run(['roles', 'link', TENANT, 'acme-role-001', job?.id ?? ''])).code).toBe(0);
    expect((await cli.run(['clients', 'set', TENANT, '--review-before-push', 'on'])).code).toBe(0);

    const shortlisted = await cli.json(['act', TENANT, 'acme-role-001', 'acme-cand-002', 'request_intro']);
    expect(shortlisted.run.code).toBe(0);
    const action = shortlisted.document.result as { outboxId: number; queueStatus: string; changed: boolean };
    expect(action.changed).toBe(true);
    expect(action.queueStatus).toBe('review');

    const hired = await cli.json(['act', TENANT, 'acme-role-001', 'acme-cand-003', 'hire']);
    const hireItem = (hired.document.result as { outboxId: number }).outboxId;

    const listed = await cli.json(['queue', 'list', TENANT, '--status', 'review']);
    const items = listed.document.result as {
      id: number;
      candidateName: string;
      email: string | null;
      roleExternalId: string;
      plannedEffect: string;
      reason: string | null;
    }[];
    const item = items.find((entry) => entry.id === action.outboxId);
    expect(item?.candidateName).toBe('Grace Whitfield');
    expect(item?.email).toBe('grace.whitfield@example.com');
    expect(item?.roleExternalId).toBe('acme-role-001');
    expect(item?.plannedEffect).toContain('Reached Out');
    expect(item?.reason).toContain('Review before push is on');

    const readable = await cli.run(['queue', 'list', TENANT]);
    expect(readable.stdout).toContain(`#${action.outboxId} review request_intro`);
    expect(readable.stdout).toContain('waits because:');

    const noReason = await cli.run(['queue', 'discard', String(hireItem)]);
    expect(noReason.code).toBe(2);

    // An unknown id fails the command, and the item that exists is still approved.
    const approved = await cli.json(['queue', 'approve', String(action.outboxId), '999999']);
    expect(approved.run.code).toBe(1);
    expect(approved.document.result).toEqual({
      changed: [action.outboxId],
      skipped: [{ id: 999999, reason: 'no queue item 999999' }],
      notFound: [999999],
    });
    expect(approved.document.error?.code).toBe('not_found');
    expect(approved.document.error?.message).toContain('No queue item 999999');

    const unknownIds = await cli.run(['queue', 'retry', '999998', '999999']);
    expect(unknownIds.code).toBe(1);
    expect(unknownIds.stderr).toContain('No queue items 999998, 999999');

    const discarded = await cli.run(['queue', 'discard', String(hireItem), '--reason', 'hired through another agency']);
    expect(discarded.code).toBe(0);
    expect(discarded.stdout).toContain(`Discarded 1 item: ${hireItem}.`);

    const after = await cli.json(['queue', 'list', TENANT, '--status', 'pending,discarded']);
    const statuses = new Map((after.document.result as { id: number; status: string }[]).map((entry) => [entry.id, entry.status]));
    expect(statuses.get(action.outboxId)).toBe('pending');
    expect(statuses.get(hireItem)).toBe('discarded');
    const discardedText = await cli.run(['queue', 'list', TENANT, '--status', 'discarded']);
    expect(discardedText.stdout).toContain(`#${hireItem} discarded hire`);
    expect(discardedText.stdout).toContain('discarded because: hired through another agency');
    expect(discardedText.stdout).not.toContain('waits because');
    expect(discardedText.stdout).not.toContain('in Ashby:');

    const approveAll = await cli.json(['queue', 'approve', '--all', TENANT]);
    expect(approveAll.run.code).toBe(0);
    expect((await cli.json(['queue', 'list', TENANT, '--status', 'review'])).document.result).toEqual([]);
  });
});

describe('cli engine lock', () => {
  it('sync exits 1 while another engine runs; queuing still works', async () => {
    const db = openDatabase({ file: path.join(cli.dataDir, 'console.sqlite') });
    try {
      expect(acquireLock(db, systemClock, 'desktop-app-in-test', 60_000)).toBe(true);
      const synced = await cli.run(['sync']);
      expect(synced.code).toBe(1);
      expect(synced.stderr).toContain('Another Ashby Sync process');

      const acted = await cli.run(['act', TENANT, 'acme-role-001', 'acme-cand-002', 'complete_intro']);
      expect(acted.code).toBe(0);
      const dryRun = await cli.run(['push', TENANT, 'acme-role-001', '--dry-run']);
      expect(dryRun.code).toBe(0);
    } finally {
      releaseLock(db, 'desktop-app-in-test');
      closeDatabase(db);
    }
    expect((await cli.run(['sync', TENANT])).code).toBe(0);
  });
});

describe('cli revoked key', () => {
  it('sync exits 1, replace-key resumes', async () => {
    const name = 'Globex Revoked';
    const key = sandbox.createKey('Globex Logistics');
    expect((await cli.run(['clients', 'add', '--name', name, '--base-url', sandbox.url, '--sandbox'], { input: key })).code).toBe(0);
    const reasons = await cli.json(['clients', 'archive-reasons', name]);
    const reason = (reasons.document.result as { id: string; title: string }[]).find((entry) => entry.title === 'Not a fit');
    expect((await cli.run(['clients', 'set', name, '--archive-reason-id', reason?.id ?? ''])).code).toBe(0);
    expect((await cli.run(['import', name, path.join(SAMPLES, 'globex-logistics.json')])).code).toBe(0);
    const jobs = await cli.json(['clients', 'jobs', name]);
    const job = (jobs.document.result as { id: string; title: string }[]).find((entry) => entry.title === 'Site Reliability Engineer');
    expect((await cli.run(['roles', 'link', name, 'glx-role-002', job?.id ?? ''])).code).toBe(0);
    const pushed = await cli.json(['push', name, 'glx-role-002']);
    const total = (pushed.document.result as { plan: { bulk: { total: number } } }).plan.bulk.total;
    expect(total).toBeGreaterThan(0);

    sandbox.revokeKey(key);
    const failed = await cli.json(['sync', name]);
    expect(failed.run.code).toBe(1);
    expect(failed.document.error?.message).toContain(`${name} is disconnected`);
    const report = failed.document.result as { done: number; paused: number; unhealthyClients: { name: string; status: string }[] };
    expect(report.done).toBe(0);
    expect(report.paused).toBe(total);
    expect(report.unhealthyClients.map((client) => `${client.name}: ${client.status}`)).toEqual([`${name}: disconnected`]);

    const fresh = sandbox.createKey('Globex Logistics', { title: 'Replacement key' });
    const replaced = await cli.run(['clients', 'replace-key', name], { input: fresh });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain(`Key replaced for ${name}`);

    const resumed = await cli.run(['sync', name]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(resumed.stdout).toContain(`Sent ${total} ${total === 1 ? 'item' : 'items'}; 0 failed`);
    const finished = await cli.run(['queue', 'list', name, '--status', 'done']);
    expect(finished.stdout).toMatch(/^ {4}finished: \S/m);
    expect(finished.stdout).not.toContain('waits because');
    expect(finished.stdout).not.toContain('in Ashby:');
    const listed = await cli.json(['clients', 'list']);
    const client = (listed.document.result as { name: string; status: string; counts: { pending: number } }[]).find((entry) => entry.name === name);
    expect(client?.status).toBe('connected');
    expect(client?.counts.pending).toBe(0);

    expect((await cli.run(['clients', 'disconnect', name])).stdout).toContain('0 queued items paused');
    const reconnected = await cli.run(['clients', 'reconnect', name]);
    expect(reconnected.code).toBe(0);
    expect(reconnected.stdout.trim()).toBe(`${name}: connected with key "Replacement key".`);
  });
});
