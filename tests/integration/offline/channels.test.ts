// The review and audit channels against a real data folder: wait reasons, identity edits before
// approval, retention with its purge preview, and the browser host's one-time export download.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHandlers } from '../../../core/api/handlers/audit.js';
import { reviewHandlers, waitReasonOf } from '../../../core/api/handlers/review.js';
import type { AppContext } from '../../../core/app/context.js';
import { queryAuditPage } from '../../../core/audit/index.js';
import { attachExportDialog } from '../../../core/desktop/export-dialog.js';
import { startBrowserHost, type BrowserHost } from '../../../core/host/server.js';
import { insertCandidate } from '../../../core/store/repo/candidates.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { upsertRole } from '../../../core/store/repo/roles.js';
import { AppError } from '../../../shared/errors.js';

const DAY_MS = 86_400_000;

let dataDir: string;
let host: BrowserHost;
let context: AppContext;
let clientId: number;
let candidateId: number;

function auditActions(): string[] {
  return queryAuditPage(context.db, { clientId }, { limit: 500 }).entries.map((entry) => entry.action);
}

function candidateRow(): { email: string | null; email_key: string | null; linkedin_url: string | null; linkedin_slug: string | null } {
  return context.db.prepare('SELECT email, email_key, linkedin_url, linkedin_slug FROM candidates WHERE id = ?').get(candidateId) as {
    email: string | null;
    email_key: string | null;
    linkedin_url: string | null;
    linkedin_slug: string | null;
  };
}

// Writes audit rows dated `daysAgo` days back, as an older log would hold.
function backdatedEntries(count: number, daysAgo: number): void {
  const at = new Date(context.clock.now() - daysAgo * DAY_MS).toISOString();
  const insert = context.db.prepare(
    "INSERT INTO audit_log (at, client_id, action, outcome, message, actor) VALUES (?, ?, 'old_entry', 'ok', ?, 'engine')",
  );
  for (let index = 0; index < count; index += 1) insert.run(at, clientId, `old entry ${index}`);
}

async function expectAppError(run: () => unknown, code: string): Promise<AppError> {
  const error = await Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'review-channels-'));
  host = await startBrowserHost({ dataDir, env: { ASHBY_SYNC_SECRET_STORE: 'memory' }, fileLogging: false, staticDir: dataDir });
  if (host.context === null) throw new Error(`The host did not open its data folder: ${host.startupError?.message}`);
  context = host.context;
  const client = createClient(context.db, context.clock, { name: 'Globex Logistics', baseUrl: 'http://127.0.0.1:9' });
  clientId = client.id;
  const role = upsertRole(context.db, context.clock, { clientId, externalId: 'sre', title: 'Site Reliability Engineer' });
  candidateId = insertCandidate(context.db, context.clock, {
    clientId,
    roleId: role.id,
    externalId: 'c-1',
    name: 'Zoë Ångström',
    email: 'zoe@example.com',
    emailKey: 'zoe@example.com',
    state: 'shortlisted',
  }).id;
});

afterEach(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('waitReasonOf', () => {
  it.each([
    [{ status: 'review', reasonCode: 'possible_duplicate' }, false, 'possible_duplicate'],
    [{ status: 'review', reasonCode: 'archived_in_ashby' }, false, 'archived_in_ashby'],
    [{ status: 'review', reasonCode: 'review_before_push' }, true, 'review_before_push'],
    [{ status: 'review', reasonCode: null }, false, 'review_before_push'],
    [{ status: 'needs_attention', reasonCode: 'ashby_job_closed' }, true, 'needs_attention'],
    [{ status: 'failed', reasonCode: null }, false, 'needs_attention'],
    [{ status: 'paused', reasonCode: 'client_disconnected' }, false, 'disconnected'],
    [{ status: 'pending', reasonCode: 'network_error' }, true, 'offline'],
    [{ status: 'running', reasonCode: null }, true, 'offline'],
    [{ status: 'pending', reasonCode: null }, false, 'queued'],
  ] as const)('maps %o (offline %s) to %s', (item, offline, expected) => {
    expect(waitReasonOf(item, offline)).toBe(expected);
  });
});

describe('review:editCandidate', () => {
  const edit = (email: string | null, linkedinUrl: string | null) =>
    reviewHandlers['review:editCandidate']({ candidateId, email, linkedinUrl }, context);

  it('rejects an invalid email', async () => {
    const error = await expectAppError(() => edit('zoe@@example.com', null), 'invalid_input');
    expect(error.message).toContain('zoe@@example.com');
    expect(candidateRow().email).toBe('zoe@example.com');
    expect(auditActions()).not.toContain('candidate_identity_edited');
  });

  it('rejects clearing both keys', async () => {
    const error = await expectAppError(() => edit('  ', null), 'invalid_input');
    expect(error.message).toContain('needs an email or a LinkedIn URL');
    expect(candidateRow().email).toBe('zoe@example.com');
  });

  it('stores keys and audits the change', () => {
    const result = edit(' Zoe.Angstrom@Example.com ', 'http://linkedin.com/in/Zoe-Angstrom?trk=x');
    expect(result).toEqual({
      candidateId,
      email: 'Zoe.Angstrom@Example.com',
      linkedinUrl: 'https://www.linkedin.com/in/zoe-angstrom',
    });
    expect(candidateRow()).toEqual({
      email: 'Zoe.Angstrom@Example.com',
      email_key: 'zoe.angstrom@example.com',
      linkedin_url: 'https://www.linkedin.com/in/zoe-angstrom',
      linkedin_slug: 'zoe-angstrom',
    });
    const entry = queryAuditPage(context.db, { clientId }, { limit: 10 }).entries.find((row) => row.action === 'candidate_identity_edited');
    expect(entry?.message).toBe('changed email and LinkedIn URL of Zoë Ångström before review');
    expect(entry?.candidateId).toBe(candidateId);
  });

  it('writes nothing when unchanged', () => {
    expect(edit('zoe@example.com', null).email).toBe('zoe@example.com');
    expect(auditActions()).not.toContain('candidate_identity_edited');
  });
});

describe('audit retention and purge', () => {
  it('keeps everything by default', async () => {
    backdatedEntries(3, 400);
    expect(auditHandlers['audit:retention']({ clientId }, context)).toEqual({ clientId, retentionDays: null, purgeable: 0, cutoff: null });
    await expectAppError(() => auditHandlers['audit:purge']({ clientId }, context), 'invalid_input');
    expect(auditActions().filter((action) => action === 'old_entry')).toHaveLength(3);
  });

  it('previews and purges only older entries', async () => {
    backdatedEntries(4, 40);
    backdatedEntries(2, 10);
    const retention = await auditHandlers['audit:setRetention']({ clientId, retentionDays: 30 }, context);
    expect(retention.retentionDays).toBe(30);
    expect(retention.purgeable).toBe(4);
    // Setting retention deletes nothing; the change itself is audited.
    expect(auditActions().filter((action) => action === 'old_entry')).toHaveLength(6);
    expect(auditActions()).toContain('settings.changed');

    const purged = await auditHandlers['audit:purge']({ clientId }, context);
    expect(purged.deleted).toBe(4);
    expect(purged.retention.purgeable).toBe(0);
    expect(auditActions().filter((action) => action === 'old_entry')).toHaveLength(2);
    expect(auditActions()).toContain('audit.purge');
  });
});

describe('audit export download', () => {
  async function download(url: string, withToken = true): Promise<Response> {
    const address = new URL(url, host.origin);
    if (withToken) address.searchParams.set('token', host.token);
    return fetch(address);
  }

  it('streams a CSV once per ticket', async () => {
    const outcome = await auditHandlers['audit:export']({ filter: { clientId }, format: 'csv', redactPii: false }, context);
    if (outcome.kind !== 'download') throw new Error(`expected a download, got ${outcome.kind}`);
    expect(outcome.fileName).toMatch(/^activity-globex-logistics-\d{4}-\d{2}-\d{2}\.csv$/);
    reviewHandlers['review:editCandidate']({ candidateId, email: 'zoe.a@example.com', linkedinUrl: null }, context);

    const response = await download(outcome.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${outcome.fileName}"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('Zoë Ångström');
    expect(auditActions()).toContain('audit.export');

    expect((await download(outcome.url)).status).toBe(404);
  });

  it('redacts names in JSON Lines', async () => {
    reviewHandlers['review:editCandidate']({ candidateId, email: 'zoe.a@example.com', linkedinUrl: null }, context);
    const outcome = await auditHandlers['audit:export']({ filter: { clientId }, format: 'jsonl', redactPii: true }, context);
    if (outcome.kind !== 'download') throw new Error(`expected a download, got ${outcome.kind}`);
    const text = await (await download(outcome.url)).text();
    expect(text).not.toContain('Zoë');
    expect(text).not.toContain('zoe.a@example.com');
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(1);
  });

  it('rejects a download without the token', async () => {
    const outcome = await auditHandlers['audit:export']({ filter: {}, format: 'csv', redactPii: false }, context);
    if (outcome.kind !== 'download') throw new Error(`expected a download, got ${outcome.kind}`);
    expect((await download(outcome.url, false)).status).toBe(403);
    // The rejected request did not use up the ticket.
    expect((await download(outcome.url)).status).toBe(200);
  });
});

describe('audit export with a save dialog', () => {
  it('writes the chosen file', async () => {
    const chosen = path.join(dataDir, 'chosen.jsonl');
    const offered: string[] = [];
    attachExportDialog(context, async (defaultName, format) => {
      offered.push(`${defaultName} ${format}`);
      return chosen;
    });
    reviewHandlers['review:editCandidate']({ candidateId, email: 'zoe.a@example.com', linkedinUrl: null }, context);

    const outcome = await auditHandlers['audit:export']({ filter: { clientId }, format: 'jsonl', redactPii: false }, context);
    expect(outcome).toEqual({ kind: 'saved', file: chosen, rows: 1 });
    expect(offered).toHaveLength(1);
    expect(offered[0]).toMatch(/^activity-globex-logistics-\d{4}-\d{2}-\d{2}\.jsonl jsonl$/);
    const record = JSON.parse(readFileSync(chosen, 'utf8').trim()) as Record<string, unknown>;
    expect(record['action']).toBe('candidate_identity_edited');
  });

  it('writes nothing when cancelled', async () => {
    attachExportDialog(context, async () => null);
    const outcome = await auditHandlers['audit:export']({ filter: {}, format: 'csv', redactPii: true }, context);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(existsSync(path.join(dataDir, 'chosen.jsonl'))).toBe(false);
    expect(auditActions()).not.toContain('audit.export');
  });
});
