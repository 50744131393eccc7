import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError, StoreNotFoundError } from '../../../core/store/errors.js';
import {
  createClient,
  getClient,
  getClientByName,
  listClients,
  setClientKeyInfo,
  setClientStatus,
  setLastPushAt,
  setSandboxApiKey,
  updateClientSettings,
} from '../../../core/store/repo/clients.js';
import {
  getRoleByExternalId,
  linkRole,
  listRolesByClient,
  setRoleLinkStatus,
  setStageOverrides,
  unlinkRole,
  upsertRole,
} from '../../../core/store/repo/roles.js';
import { openTempDatabase, steppingClock } from './helpers.js';

let temp: ReturnType<typeof openTempDatabase>;
const clock = steppingClock();

beforeEach(() => {
  temp = openTempDatabase();
});

afterEach(() => {
  temp.cleanup();
});

describe('clients repository', () => {
  it('creates a client with defaults', () => {
    const client = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });

    expect(client.id).toBeGreaterThan(0);
    expect(client.status).toBe('connected');
    expect(client.enabledEvents).toEqual(['request_intro', 'complete_intro', 'archive', 'hire']);
    expect(client.isSandbox).toBe(false);
    expect(client.sandboxApiKey).toBeNull();
    expect(client.reviewBeforePush).toBe(false);
    expect(client.keyScopes).toEqual([]);
    expect(getClient(temp.db, client.id)).toEqual(client);
  });

  it('finds a client by name ignoring case', () => {
    const client = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });
    expect(getClientByName(temp.db, 'ACME fake')?.id).toBe(client.id);
    expect(getClientByName(temp.db, 'Other')).toBeNull();
  });

  it('rejects a duplicate name', () => {
    createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });
    expect(() => createClient(temp.db, clock, { name: 'acme FAKE', baseUrl: 'https://x.example' })).toThrow(
      StoreConflictError,
    );
  });

  it('lists clients by name', () => {
    createClient(temp.db, clock, { name: 'zeta', baseUrl: 'https://z.example' });
    createClient(temp.db, clock, { name: 'Alpha', baseUrl: 'https://a.example' });
    expect(listClients(temp.db).map((client) => client.name)).toEqual(['Alpha', 'zeta']);
  });

  it('updates only the given settings', () => {
    const client = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });
    const updated = updateClientSettings(temp.db, clock, client.id, {
      enabledEvents: ['shortlist', 'hire', 'hire'],
      sourceId: 'src-1',
      sourceTitle: 'Jack & Jill',
      archiveReasonId: 'ar-1',
      archiveReasonText: 'Not a fit',
      reviewBeforePush: true,
      auditRetentionDays: 90,
    });

    expect(updated.enabledEvents).toEqual(['shortlist', 'hire']);
    expect(updated.sourceId).toBe('src-1');
    expect(updated.sourceTitle).toBe('Jack & Jill');
    expect(updated.archiveReasonId).toBe('ar-1');
    expect(updated.archiveReasonText).toBe('Not a fit');
    expect(updated.reviewBeforePush).toBe(true);
    expect(updated.auditRetentionDays).toBe(90);
    expect(updated.name).toBe('Acme Fake');
    expect(updated.updatedAt > client.updatedAt).toBe(true);

    const cleared = updateClientSettings(temp.db, clock, client.id, { sourceId: null, auditRetentionDays: null });
    expect(cleared.sourceId).toBeNull();
    expect(cleared.auditRetentionDays).toBeNull();
    expect(cleared.sourceTitle).toBe('Jack & Jill');
  });

  it('rejects a retention of zero days', () => {
    const client = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });
    expect(() => updateClientSettings(temp.db, clock, client.id, { auditRetentionDays: 0 })).toThrow(/above 0/);
  });

  it('records status, key info and last push', () => {
    const client = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });

    const rejected = setClientStatus(temp.db, clock, client.id, 'disconnected', 'key rejected by Ashby');
    expect(rejected.status).toBe('disconnected');
    expect(rejected.statusReason).toBe('key rejected by Ashby');
    expect(rejected.disconnectedByUser).toBe(false);

    const byUser = setClientStatus(temp.db, clock, client.id, 'disconnected', 'disconnected by an admin', {
      disconnectedByUser: true,
    });
    expect(byUser.disconnectedByUser).toBe(true);

    const keyed = setClientKeyInfo(temp.db, clock, client.id, { title: 'Console key', scopes: ['candidates:read'] });
    expect(keyed.keyTitle).toBe('Console key');
    expect(keyed.keyScopes).toEqual(['candidates:read']);

    const pushed = setLastPushAt(temp.db, clock, client.id, '2026-03-01T10:00:00.000Z');
    expect(pushed.lastPushAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('keeps API keys only for the sandbox', () => {
    const real = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });
    expect(() => setSandboxApiKey(temp.db, clock, real.id, 'some-key-value')).toThrow(/OS keychain/);
    expect(() =>
      createClient(temp.db, clock, { name: 'Other', baseUrl: 'https://x.example', sandboxApiKey: 'k-12345678' }),
    ).toThrow(/Only the sandbox/);
    // The table's CHECK constraint also rejects a write that bypasses the repository.
    expect(() => temp.db.prepare(`UPDATE clients SET sandbox_api_key = 'k' WHERE id = ?`).run(real.id)).toThrow(
      /CHECK constraint failed/,
    );

    const sandbox = createClient(temp.db, clock, {
      name: 'Sandbox',
      baseUrl: 'http://127.0.0.1:4010',
      isSandbox: true,
      sandboxApiKey: 'sandbox-key-1',
    });
    expect(sandbox.sandboxApiKey).toBe('sandbox-key-1');
    expect(setSandboxApiKey(temp.db, clock, sandbox.id, 'sandbox-key-2').sandboxApiKey).toBe('sandbox-key-2');
  });

  it('throws not found for a missing client', () => {
    expect(() => setClientStatus(temp.db, clock, 404, 'offline', null)).toThrow(StoreNotFoundError);
    expect(getClient(temp.db, 404)).toBeNull();
  });
});

describe('roles repository', () => {
  let clientId: number;

  beforeEach(() => {
    clientId = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' }).id;
  });

  it('upserts by client and external id', () => {
    const first = upsertRole(temp.db, clock, { clientId, externalId: 'r-1', title: 'Engineer' });
    linkRole(temp.db, clock, first.id, { ashbyJobId: 'job-1', ashbyJobTitle: 'Engineer', ashbyInterviewPlanId: 'plan-1' });

    const second = upsertRole(temp.db, clock, { clientId, externalId: 'r-1', title: 'Senior Engineer' });

    expect(second.id).toBe(first.id);
    expect(second.title).toBe('Senior Engineer');
    expect(second.ashbyJobId).toBe('job-1');
    expect(second.linkStatus).toBe('linked');
    expect(listRolesByClient(temp.db, clientId)).toHaveLength(1);
  });

  it('links and unlinks a role', () => {
    const role = upsertRole(temp.db, clock, { clientId, externalId: 'r-1', title: 'Engineer' });
    const linked = linkRole(temp.db, clock, role.id, { ashbyJobId: 'job-1', ashbyJobTitle: 'Eng', ashbyInterviewPlanId: 'plan-1' });
    expect(linked.linkStatus).toBe('linked');
    setStageOverrides(temp.db, clock, role.id, { hire: 'stage-hired' });

    const attention = setRoleLinkStatus(temp.db, clock, role.id, 'needs_attention', 'job closed in Ashby');
    expect(attention.linkStatusReason).toBe('job closed in Ashby');

    const unlinked = unlinkRole(temp.db, clock, role.id);
    expect(unlinked.linkStatus).toBe('unlinked');
    expect(unlinked.ashbyJobId).toBeNull();
    expect(unlinked.linkStatusReason).toBeNull();
    expect(unlinked.stageOverrides).toEqual({});
  });

  it('validates stage overrides', () => {
    const role = upsertRole(temp.db, clock, { clientId, externalId: 'r-1', title: 'Engineer' });
    const updated = setStageOverrides(temp.db, clock, role.id, { request_intro: 'stage-a', hire: 'stage-b' });
    expect(getRoleByExternalId(temp.db, clientId, 'r-1')?.stageOverrides).toEqual(updated.stageOverrides);
    expect(updated.stageOverrides).toEqual({ request_intro: 'stage-a', hire: 'stage-b' });

    const invalid = { not_an_event: 'x' } as unknown as Parameters<typeof setStageOverrides>[3];
    expect(() => setStageOverrides(temp.db, clock, role.id, invalid)).toThrow();
  });
});
