// Applies a client's audit retention by an explicit purge. The append-only triggers reject every
// DELETE except those covered by a row in `audit_purge_grants`, and a grant can only be inserted
// for an `audit.purge` entry of the same client, so each purge leaves a record of what it removed.
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
}

export interface AuditPurgeResult {
  clientId: number;
  /** The client's retention; null means entries are kept forever and nothing was purged. */
  retentionDays: number | null;
  /** Entries written strictly before this instant were deleted; null when nothing was purged. */
  cutoff: string | null;
  deleted: number;
  /** The purge's own audit entry, or null when retention is not set. */
  auditEntryId: number | null;
}

const PurgeSettings = z.object({
  clientId: z.number().int().positive(),
  actor: z.string().trim().min(1).max(200),
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

/**
 * Deletes the client's audit entries older than its retention and writes one `audit.purge` entry
 * with the count and cutoff, all in one transaction. Earlier purge entries are never deleted.
 * Does nothing, and writes nothing, when the client keeps entries forever.
 */
export function purgeAudit(db: Database.Database, options: AuditPurgeOptions): AuditPurgeResult {
  const { clientId, actor } = PurgeSettings.parse({
    clientId: options.clientId,
    actor: options.actor,
  });

  return db.transaction((): AuditPurgeResult => {
    const client = db
      .prepare('SELECT name, audit_retention_days FROM clients WHERE id = ?')
      .get(clientId) as ClientRetention | undefined;
    if (!client) throw new AuditPurgeClientNotFoundError(clientId);

    const retentionDays = client.audit_retention_days;
    if (retentionDays === null) {
      return { clientId, retentionDays: null, cutoff: null, deleted: 0, auditEntryId: null };
    }

    const cutoff = new Date(options.clock.now() - retentionDays * DAY_MS).toISOString();
    const expected = db
      .prepare(`SELECT count(*) FROM audit_log WHERE client_id = ? AND at < ? AND action <> ?`)
      .pluck()
      .get(clientId, cutoff, AUDIT_PURGE_ACTION) as number;

    const entry = appendAudit(db, options.clock, {
      clientId,
      action: AUDIT_PURGE_ACTION,
      outcome: 'ok',
      actor,
      message:
        `Purged ${expected} audit ${expected === 1 ? 'entry' : 'entries'} of ${client.name} ` +
        `written before ${cutoff} (retention ${retentionDays} days)`,
      details: { cutoff, retentionDays, deleted: expected },
    });

    const grant = db
      .prepare('INSERT INTO audit_purge_grants (audit_id, client_id, cutoff) VALUES (?, ?, ?)')
      .run(entry.id, clientId, cutoff);
    const deleted = db
      .prepare(`DELETE FROM audit_log WHERE client_id = ? AND at < ? AND action <> ? AND id < ?`)
      .run(clientId, cutoff, AUDIT_PURGE_ACTION, entry.id).changes;
    db.prepare('DELETE FROM audit_purge_grants WHERE id = ?').run(grant.lastInsertRowid);

    // The entry states the count before deleting; a mismatch would make it false, so roll back.
    if (deleted !== expected) {
      throw new Error(
        `Audit purge for client ${clientId} deleted ${deleted} entries but counted ${expected}; ` +
          'the purge was rolled back. Run it again.',
      );
    }
    return { clientId, retentionDays, cutoff, deleted, auditEntryId: entry.id };
  })();
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
