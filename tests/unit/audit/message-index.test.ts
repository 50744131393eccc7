import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditIndexedTo,
  indexAllAuditEntries,
  indexAuditEntries,
  startAuditIndexer,
} from '../../../core/audit/message-index.js';
import { purgeAudit } from '../../../core/audit/purge.js';
import { queryAuditPage } from '../../../core/audit/query.js';
import { createLogger } from '../../../core/log/logger.js';
import { closeDatabase, openDatabase } from '../../../core/store/db.js';
import { updateClientSettings } from '../../../core/store/repo/clients.js';
import {
  appendEntries,
  fixedClock,
  openAuditWorld,
  steppingClock,
  type AuditWorld,
} from './helpers.js';

let world: AuditWorld;
beforeEach(() => {
  world = openAuditWorld();
});
afterEach(() => world.cleanup());

function appendMessages(messages: string[], start = '2026-01-01T00:00:00.000Z'): number[] {
  const clock = steppingClock(start, 86_400_000);
  return appendEntries(
    world.db,
    clock,
    messages.map((message) => ({
      clientId: world.clientA,
      action: 'push.step',
      outcome: 'ok',
      message,
    })),
  );
}

function search(text: string) {
  const page = queryAuditPage(world.db, { text }, { limit: 100 });
  return { plan: page.textPlan, messages: page.entries.map((entry) => entry.message) };
}

// Runs the index's consistency check and returns how many entries the index holds.
function indexedEntries(): number {
  world.db.prepare(`INSERT INTO audit_fts (audit_fts) VALUES ('integrity-check')`).run();
  return world.db.prepare('SELECT count(*) FROM audit_fts_docsize').pluck().get() as number;
}

describe('audit message index', () => {
  it('finds entries before and after indexing', () => {
    const ids = appendMessages([
      'Created Zoë Ångström',
      'Moved Ada to Reached Out',
      'Created ZOE SMITH',
    ]);
    expect(auditIndexedTo(world.db)).toBe(0);

    const before = search('zoe');
    expect(before).toEqual({
      plan: 'sparse',
      messages: ['Created ZOE SMITH', 'Created Zoë Ångström'],
    });

    expect(indexAuditEntries(world.db, 2)).toBe(2);
    expect(auditIndexedTo(world.db)).toBe(ids[1]);
    expect(search('zoe')).toEqual(before);

    expect(indexAuditEntries(world.db)).toBe(1);
    expect(indexAuditEntries(world.db)).toBe(0);
    expect(auditIndexedTo(world.db)).toBe(ids[2]);
    expect(search('zoe')).toEqual(before);
    expect(indexedEntries()).toBe(3);
  });

  it('purges indexed and unindexed entries', () => {
    appendMessages(Array.from({ length: 10 }, (_, index) => `old entry ${index}`));
    expect(indexAuditEntries(world.db, 4)).toBe(4);
    updateClientSettings(world.db, fixedClock('2026-06-01T00:00:00.000Z'), world.clientA, {
      auditRetentionDays: 30,
    });

    const result = purgeAudit(world.db, {
      clock: fixedClock('2026-06-01T00:00:00.000Z'),
      clientId: world.clientA,
      actor: 'admin',
    });
    expect(result.deleted).toBe(10);

    expect(indexedEntries()).toBe(0);
    expect(search('old entry').messages).toEqual([]);
    expect(indexAuditEntries(world.db)).toBe(1);
    expect(indexedEntries()).toBe(1);
    expect(search('purged').messages).toHaveLength(1);
  });

  it('indexes each entry once across connections', async () => {
    appendMessages(Array.from({ length: 250 }, (_, index) => `entry number ${index}`));
    const other = openDatabase({ file: world.file, clock: fixedClock('2026-01-01T00:00:00.000Z') });
    try {
      let added = 0;
      for (;;) {
        const step = indexAuditEntries(world.db, 30) + indexAuditEntries(other, 45);
        if (step === 0) break;
        added += step;
      }
      expect(added).toBe(250);
      expect(await indexAllAuditEntries(other)).toBe(0);
    } finally {
      closeDatabase(other);
    }
    expect(indexedEntries()).toBe(250);
    expect(search('number 249').messages).toEqual(['entry number 249']);
  });

  it('indexes new entries in the background', async () => {
    const indexer = startAuditIndexer(world.db, createLogger('audit'), 10);
    const ids = appendMessages(['first in background', 'second in background']);
    for (let waited = 0; auditIndexedTo(world.db) < ids[1]! && waited < 2000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(auditIndexedTo(world.db)).toBe(ids[1]);

    const last = appendMessages(['written just before stop'], '2026-02-01T00:00:00.000Z');
    await indexer.stop();
    expect(auditIndexedTo(world.db)).toBe(last[0]);
    expect(indexedEntries()).toBe(3);
  });
});
