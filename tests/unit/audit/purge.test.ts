import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_PURGE_ACTION,
  AuditPurgeClientNotFoundError,
  describeAuditRetention,
  purgeAudit,
  purgeAuditForAllClients,
  purgeAuditInBatches,
} from '../../../core/audit/purge.js';
import { queryAuditPage } from '../../../core/audit/query.js';
import { updateClientSettings } from '../../../core/store/repo/clients.js';
import {
  appendEntries,
  fixedClock,
  openAuditWorld,
  steppingClock,
  type AuditWorld,
} from './helpers.js';

let world: AuditWorld;
const NOW = '2026-06-01T00:00:00.000Z';
const now = fixedClock(NOW);

beforeEach(() => {
  world = openAuditWorld();
});

afterEach(() => {
  world.cleanup();
});

interface Row {
  id: number;
  at: string;
  client_id: number | null;
  action: string;
  message: string;
}

function allRows(): Row[] {
  return world.db
    .prepare('SELECT id, at, client_id, action, message FROM audit_log ORDER BY id')
    .all() as Row[];
}

// One entry per day from 2026-01-01 for 120 days, alternating clients A and B, plus one entry with
// no client. With 90 days' retention on 2026-06-01 the cutoff is 2026-03-03.
function seed(): { cutoff: string } {
  const clock = steppingClock('2026-01-01T00:00:00.000Z', 86_400_000);
  appendEntries(
    world.db,
    clock,
    Array.from({ length: 120 }, (_, index) => ({
      clientId: index % 2 === 0 ? world.clientA : world.clientB,
      action: 'push.step',
      outcome: 'ok',
      message: `entry ${index}`,
    })),
  );
  appendEntries(world.db, fixedClock('2026-01-05T00:00:00.000Z'), [
    { action: 'settings.changed', outcome: 'ok', message: 'no client' },
  ]);
  return { cutoff: '2026-03-03T00:00:00.000Z' };
}

describe('purgeAudit', () => {
  it('deletes only old entries of the client', () => {
    const { cutoff } = seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    const before = allRows();

    const result = purgeAudit(world.db, { clock: now, clientId: world.clientA, actor: 'admin' });

    const expectedGone = before.filter((row) => row.client_id === world.clientA && row.at < cutoff);
    expect(expectedGone.length).toBe(31);
    expect(result).toMatchObject({
      clientId: world.clientA,
      retentionDays: 90,
      cutoff,
      deleted: 31,
    });

    const after = allRows();
    const remainingIds = new Set(after.map((row) => row.id));
    for (const row of expectedGone) expect(remainingIds.has(row.id), row.message).toBe(false);
    const survivors = before.filter((row) => !expectedGone.includes(row));
    for (const row of survivors) expect(remainingIds.has(row.id), row.message).toBe(true);
    expect(after).toHaveLength(before.length - 31 + 1);
  });

  it('writes its own entry with count and cutoff', () => {
    const { cutoff } = seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });

    const result = purgeAudit(world.db, { clock: now, clientId: world.clientA, actor: 'cli' });

    const page = queryAuditPage(world.db, { clientId: world.clientA }, { limit: 1 });
    const entry = page.entries[0];
    expect(entry?.id).toBe(result.auditEntryId);
    expect(entry?.action).toBe(AUDIT_PURGE_ACTION);
    expect(entry?.actor).toBe('cli');
    expect(entry?.at).toBe(NOW);
    expect(entry?.message).toBe(
      `Purged 31 audit entries of Acme Fake written before ${cutoff} (retention 90 days)`,
    );
    expect(JSON.parse(entry?.details ?? 'null')).toEqual({
      cutoff,
      retentionDays: 90,
      deleted: 31,
      remaining: 0,
    });
  });

  it('never purges earlier purge entries', () => {
    seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    const first = purgeAudit(world.db, { clock: now, clientId: world.clientA, actor: 'admin' });

    // A year later with one day's retention, everything of client A but the purge records goes.
    const later = fixedClock('2027-06-01T00:00:00.000Z');
    updateClientSettings(world.db, later, world.clientA, { auditRetentionDays: 1 });
    const second = purgeAudit(world.db, { clock: later, clientId: world.clientA, actor: 'admin' });

    expect(second.deleted).toBe(29);
    const remaining = allRows().filter((row) => row.client_id === world.clientA);
    expect(remaining.map((row) => row.id)).toEqual([first.auditEntryId, second.auditEntryId]);
  });

  it('does nothing when entries are kept forever', () => {
    seed();
    const before = allRows().length;

    const result = purgeAudit(world.db, { clock: now, clientId: world.clientB, actor: 'admin' });

    expect(result).toEqual({
      clientId: world.clientB,
      retentionDays: null,
      cutoff: null,
      deleted: 0,
      remaining: 0,
      auditEntryId: null,
    });
    expect(allRows()).toHaveLength(before);
  });

  it('rejects an unknown client', () => {
    expect(() => purgeAudit(world.db, { clock: now, clientId: 999, actor: 'admin' })).toThrow(
      AuditPurgeClientNotFoundError,
    );
  });

  it('keeps rejecting ordinary DELETE and UPDATE', () => {
    seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    const result = purgeAudit(world.db, { clock: now, clientId: world.clientA, actor: 'admin' });
    const count = allRows().length;

    expect(() =>
      world.db.prepare('DELETE FROM audit_log WHERE client_id = ?').run(world.clientA),
    ).toThrow(/append-only: DELETE is not allowed/);
    expect(() =>
      world.db.prepare('DELETE FROM audit_log WHERE id = ?').run(result.auditEntryId),
    ).toThrow(/append-only: DELETE is not allowed/);
    expect(() => world.db.prepare(`UPDATE audit_log SET message = 'changed'`).run()).toThrow(
      /append-only: UPDATE is not allowed/,
    );
    expect(allRows()).toHaveLength(count);
    expect(world.db.prepare('SELECT count(*) FROM audit_purge_grants').pluck().get()).toBe(0);
  });

  it('rejects a grant without a purge entry', () => {
    const [entryId] = appendEntries(world.db, now, [
      { clientId: world.clientA, action: 'push.step', outcome: 'ok' },
    ]);
    const grant = world.db.prepare(
      'INSERT INTO audit_purge_grants (audit_id, client_id, cutoff) VALUES (?, ?, ?)',
    );

    expect(() => grant.run(entryId, world.clientA, '2030-01-01T00:00:00.000Z')).toThrow(
      /audit purge grant rejected/,
    );
  });

  it('rejects deletes outside the grant', () => {
    seed();
    const [purgeEntry] = appendEntries(world.db, now, [
      { clientId: world.clientA, action: AUDIT_PURGE_ACTION, outcome: 'ok', message: 'test grant' },
    ]);
    world.db.transaction(() => {
      world.db
        .prepare('INSERT INTO audit_purge_grants (audit_id, client_id, cutoff) VALUES (?, ?, ?)')
        .run(purgeEntry, world.clientA, '2026-02-01T00:00:00.000Z');
      // Client B's entries and client A's entries after the cutoff stay protected.
      expect(() =>
        world.db.prepare('DELETE FROM audit_log WHERE client_id = ?').run(world.clientB),
      ).toThrow(/append-only/);
      expect(() =>
        world.db
          .prepare('DELETE FROM audit_log WHERE client_id = ? AND at >= ?')
          .run(world.clientA, '2026-02-01'),
      ).toThrow(/append-only/);
      expect(() => world.db.prepare('DELETE FROM audit_log WHERE id = ?').run(purgeEntry)).toThrow(
        /append-only/,
      );
      world.db.prepare('DELETE FROM audit_purge_grants').run();
    })();
  });

  it('removes purged entries from text search', () => {
    seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    expect(
      queryAuditPage(world.db, { text: 'entry 10' }).entries.map((entry) => entry.message),
    ).toContain('entry 10');

    purgeAudit(world.db, { clock: now, clientId: world.clientA, actor: 'admin' });

    const messages = queryAuditPage(world.db, { text: 'entry 10' }, { limit: 500 }).entries.map(
      (entry) => entry.message,
    );
    expect(messages).not.toContain('entry 10');
    expect(messages).toContain('entry 100');
  });

  it('purges every client with a retention', () => {
    seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    updateClientSettings(world.db, now, world.clientB, { auditRetentionDays: 30 });

    const results = purgeAuditForAllClients(world.db, { clock: now, actor: 'cli' });

    expect(results.map((result) => [result.clientId, result.deleted])).toEqual([
      [world.clientA, 31],
      // Client B's last entry is on 2026-04-30, before the 30-day cutoff of 2026-05-02.
      [world.clientB, 60],
    ]);
  });

  it('limits a purge to the oldest entries', () => {
    const { cutoff } = seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    const oldest = allRows()
      .filter((row) => row.client_id === world.clientA && row.at < cutoff)
      .map((row) => row.id);

    const result = purgeAudit(world.db, {
      clock: now,
      clientId: world.clientA,
      actor: 'admin',
      maxRows: 10,
    });

    expect(result).toMatchObject({ deleted: 10, remaining: 21 });
    const remainingIds = new Set(allRows().map((row) => row.id));
    expect(oldest.slice(0, 10).some((id) => remainingIds.has(id))).toBe(false);
    expect(oldest.slice(10).every((id) => remainingIds.has(id))).toBe(true);
    const [entry] = queryAuditPage(world.db, { clientId: world.clientA }, { limit: 1 }).entries;
    expect(entry?.message).toBe(
      `Purged 10 audit entries of Acme Fake written before ${cutoff} (retention 90 days); ` +
        '21 older entries remain for the next batch',
    );
  });

  it('purges in batches until done', async () => {
    const { cutoff } = seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });

    const result = await purgeAuditInBatches(world.db, {
      clock: now,
      clientId: world.clientA,
      actor: 'admin',
      batchRows: 10,
    });

    expect(result.deleted).toBe(31);
    expect(result.batches.map((batch) => batch.deleted)).toEqual([10, 10, 10, 1]);
    const left = allRows().filter((row) => row.client_id === world.clientA && row.at < cutoff);
    expect(left.every((row) => row.action === AUDIT_PURGE_ACTION)).toBe(true);
  });

  it('previews a purge without deleting', () => {
    const { cutoff } = seed();
    updateClientSettings(world.db, now, world.clientA, { auditRetentionDays: 90 });
    const before = allRows().length;

    expect(describeAuditRetention(world.db, { clock: now, clientId: world.clientA })).toEqual({
      clientId: world.clientA,
      retentionDays: 90,
      purgeable: 31,
      cutoff,
    });
    expect(describeAuditRetention(world.db, { clock: now, clientId: world.clientB })).toEqual({
      clientId: world.clientB,
      retentionDays: null,
      purgeable: 0,
      cutoff: null,
    });
    expect(allRows()).toHaveLength(before);
    expect(() => describeAuditRetention(world.db, { clock: now, clientId: 999 })).toThrow(
      AuditPurgeClientNotFoundError,
    );
  });
});
