// Applies a client's audit retention by an explicit purge. The append-only triggers reject every
// DELETE except those covered by a row in `audit_purge_grants`, and a grant can only be inserted
// for an `audit.purge` entry of the same client, so each purge leaves a record of what it removed.
import { yieldToEventLoop } from '../turns.js';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { appendAudit } from '../store/repo/audit.js';

export const AUDIT_PURGE_ACTION = 'audit.purge';
const DAY_MS = 86_400_000;

export interface AuditPurgeOptions {
  clock: Clock;
  clientId: number;
  /** Initiator of the purge (`admin`, `cli`, …), recorded in its audit entry. */
  actor: string;
  /** Deletes at most this many entries, oldest first; the rest stay for a later purge. */
  maxRows?: number;
}

export interface AuditPurgeResult {
  clientId: number;
  /** The client's retention; null means entries are kept forever and nothing was purged. */
  retentionDays: number | null;
  /** Entries written strictly before this instant were deleted; null when nothing was purged. */
  cutoff: string | null;
  deleted: number;
  /** Entries older than the cutoff left for a later purge because of `maxRows`. */
  remaining: number;
  /** The purge's own audit entry, or null when retention is not set. */
  auditEntryId: number | null;
}

const PurgeSettings = z.object({
  clientId: z.number().int().positive(),
  actor: z.string().trim().min(1).max(200),
  maxRows: z.number().int().positive().optional(),
});

/** Thrown when the purge is asked for a client that does not exist. */
export class AuditPurgeClientNotFoundError extends Error {
  override readonly name = 'AuditPurgeClientNotFoundError';
  constructor(readonly clientId: number) {
    super(
      `Client ${clientId} not found: no audit entries were purged. Check the client id and try again.`,
    );
  }
}

interface ClientRetention {
  name: string;
  audit_retention_days: number | null;
}

export interface AuditRetentionSummary {
  clientId: number;
  /** Days entries are kept; null keeps them forever. */
  retentionDays: number | null;
  /** Entries a purge now would delete; the purge's own entry and earlier purge entries are kept. */
  purgeable: number;
  /** Entries written before this instant would be deleted; null when kept forever. */
  cutoff: string | null;
}

function cutoffFor(clock: Clock, retentionDays: number): string {
  return new Date(clock.now() - retentionDays * DAY_MS).toISOString();
}

function countPurgeable(db: Database.Database, clientId: number, cutoff: string): number {
  return db
    .prepare(`SELECT count(*) FROM audit_log WHERE client_id = ? AND at < ? AND action <> ?`)
    .pluck()
    .get(clientId, cutoff, AUDIT_PURGE_ACTION) as number;
}

/** Returns the client's retention and what a purge now would delete, without deleting anything. */
export function describeAuditRetention(
  db: Database.Database,
  options: { clock: Clock; clientId: number },
): AuditRetentionSummary {
  const clientId = PurgeSettings.shape.clientId.parse(options.clientId);
  const client = db
    .prepare('SELECT name, audit_retention_days FROM clients WHERE id = ?')
    .get(clientId) as ClientRetention | undefined;
  if (!client) throw new AuditPurgeClientNotFoundError(clientId);
  if (client.audit_retention_days === null) {
    return { clientId, retentionDays: null, purgeable: 0, cutoff: null };
  }
  const cutoff = cutoffFor(options.clock, client.audit_retention_days);
  return {
    clientId,
    retentionDays: client.audit_retention_days,
    purgeable: countPurgeable(db, clientId, cutoff),
    cutoff,
  };
}

/**
 * Deletes the client's audit entries older than its retention, oldest first and at most
 * `maxRows` of them, and writes one `audit.purge` entry with the count and cutoff, all in one
 * transaction. Earlier purge entries are never deleted. Does nothing, and writes nothing, when the
 * client keeps entries forever.
 */
export function purgeAudit(db: Database.Database, options: AuditPurgeOptions): AuditPurgeResult {
  const { clientId, actor, maxRows } = PurgeSettings.parse({
    clientId: options.clientId,
    actor: options.actor,
    maxRows: options.maxRows,
  });

  return db.transaction((): AuditPurgeResult => {
    const client = db
      .prepare('SELECT name, audit_retention_days FROM clients WHERE id = ?')
      .get(clientId) as ClientRetention | undefined;
    if (!client) throw new AuditPurgeClientNotFoundError(clientId);

    const retentionDays = client.audit_retention_days;
    if (retentionDays === null) {
      return {
        clientId,
        retentionDays: null,
        cutoff: null,
        deleted: 0,
        remaining: 0,
        auditEntryId: null,
      };
    }

    const cutoff = cutoffFor(options.clock, retentionDays);
    const eligible = countPurgeable(db, clientId, cutoff);
    const expected = maxRows === undefined ? eligible : Math.min(eligible, maxRows);
    const remaining = eligible - expected;

    const entry = appendAudit(db, options.clock, {
      clientId,
      action: AUDIT_PURGE_ACTION,
      outcome: 'ok',
      actor,
      message: describePurge(client.name, expected, remaining, cutoff, retentionDays),
      details: { cutoff, retentionDays, deleted: expected, remaining },
    });

    const grant = db
      .prepare('INSERT INTO audit_purge_grants (audit_id, client_id, cutoff) VALUES (?, ?, ?)')
      .run(entry.id, clientId, cutoff);
    const deleted = db
      .prepare(
        `DELETE FROM audit_log WHERE id IN (
           SELECT id FROM audit_log
           WHERE client_id = ? AND at < ? AND action <> ? AND id < ?
           ORDER BY at, id LIMIT ?)`,
      )
      .run(clientId, cutoff, AUDIT_PURGE_ACTION, entry.id, expected).changes;
    db.prepare('DELETE FROM audit_purge_grants WHERE id = ?').run(grant.lastInsertRowid);

    // The entry states the count before deleting; a mismatch would make it false, so roll back.
    if (deleted !== expected) {
      throw new Error(
        `Audit purge for client ${clientId} deleted ${deleted} entries but counted ${expected}, ` +
          'so the purge was rolled back. Run it again.',
      );
    }
    return { clientId, retentionDays, cutoff, deleted, remaining, auditEntryId: entry.id };
  })();
}

function describePurge(
  clientName: string,
  deleted: number,
  remaining: number,
  cutoff: string,
  retentionDays: number,
): string {
  const entries = `${deleted} audit ${deleted === 1 ? 'entry' : 'entries'}`;
  const purged = `Purged ${entries} of ${clientName} written before ${cutoff} (retention ${retentionDays} days)`;
  return remaining === 0
    ? purged
    : `${purged}; ${remaining} older entries remain for the next batch`;
}

/** Rows per transaction in purgeAuditInBatches: a few seconds of work on a slow disk at most (estimate). */
export const DEFAULT_PURGE_BATCH_ROWS = 20_000;

/**
 * Purges the client in transactions of at most `batchRows` entries until nothing older than the
 * cutoff remains, yielding to the event loop between them so that a large first purge does not
 * block the app. Each batch writes its own `audit.purge` entry. Returns the total deleted.
 */
export async function purgeAuditInBatches(
  db: Database.Database,
  options: Omit<AuditPurgeOptions, 'maxRows'> & { batchRows?: number; signal?: AbortSignal },
): Promise<{ deleted: number; batches: AuditPurgeResult[] }> {
  const batches: AuditPurgeResult[] = [];
  let deleted = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = purgeAudit(db, {
      ...options,
      maxRows: options.batchRows ?? DEFAULT_PURGE_BATCH_ROWS,
    });
    batches.push(result);
    deleted += result.deleted;
    if (result.remaining === 0 || result.deleted === 0) return { deleted, batches };
    await yieldToEventLoop();
  }
}

/** Purges every client that has a retention set, one transaction per client. */
export function purgeAuditForAllClients(
  db: Database.Database,
  options: Omit<AuditPurgeOptions, 'clientId'>,
): AuditPurgeResult[] {
  const clientIds = db
    .prepare('SELECT id FROM clients WHERE audit_retention_days IS NOT NULL ORDER BY id')
    .pluck()
    .all() as number[];
  return clientIds.map((clientId) => purgeAudit(db, { ...options, clientId }));
}
