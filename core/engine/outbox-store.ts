// Outbox bookkeeping: claiming items with a lease, progress, steps, attempts and status changes.
import type Database from 'better-sqlite3';
import type { OutboxStatus } from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import { parseJson, type OutboxRow } from './rows.js';

/** Facts a worker has learnt about one item so far, stored in `outbox.progress`. */
export interface ItemProgress {
  ashbyCandidateId?: string;
  createdCandidate?: boolean;
  applicationId?: string;
  applicationDone?: boolean;
  resume?: 'uploaded' | 'failed';
  /** A write that was sent but whose outcome is not known yet; verified before it is repeated. */
  pendingWrite?:
    | 'candidate.create'
    | 'application.create'
    | 'application.changeStage'
    | 'candidate.uploadResume';
  /** Review reasons an admin approved for this item. */
  approved?: string[];
  /** Final outcome of a finished item: created, moved, unchanged, skipped. */
  outcome?: string;
}

export function readProgress(item: Pick<OutboxRow, 'progress'>): ItemProgress {
  return parseJson<ItemProgress>(item.progress, {});
}

export function saveProgress(
  db: Database.Database,
  clock: Clock,
  outboxId: number,
  progress: ItemProgress,
): void {
  prepareCached(db, 'UPDATE outbox SET progress = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(progress),
    isoNow(clock),
    outboxId,
  );
}

export function recordStep(
  db: Database.Database,
  clock: Clock,
  outboxId: number,
  step: string,
  outcome: 'ok' | 'failed' | 'skipped' | 'unknown',
  detail: string | null,
  requestId?: string | null,
): void {
  prepareCached(
    db,
    'INSERT INTO outbox_steps (outbox_id, step, outcome, detail, ashby_request_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(outboxId, step, outcome, detail, requestId ?? null, isoNow(clock));
}

export function startAttempt(db: Database.Database, clock: Clock, outboxId: number): number {
  const result = prepareCached(
    db,
    'INSERT INTO outbox_attempts (outbox_id, started_at) VALUES (?, ?)',
  ).run(outboxId, isoNow(clock));
  return Number(result.lastInsertRowid);
}

export function finishAttempt(
  db: Database.Database,
  clock: Clock,
  attemptId: number,
  outcome: 'done' | 'retry' | 'failed' | 'needs_attention' | 'review' | 'paused',
  errorCode: string | null,
  errorMessage: string | null,
): void {
  prepareCached(
    db,
    'UPDATE outbox_attempts SET finished_at = ?, outcome = ?, error_code = ?, error_message = ? WHERE id = ?',
  ).run(isoNow(clock), outcome, errorCode, errorMessage, attemptId);
}

/** Sets a claimed item back to pending without counting the attempt its claim recorded. */
export function releaseClaim(
  db: Database.Database,
  clock: Clock,
  outboxId: number,
  reasonCode: string | null = null,
  reason: string | null = null,
): void {
  setItemStatus(db, clock, outboxId, 'pending', reasonCode, reason);
  prepareCached(db, 'UPDATE outbox SET attempts = attempts - 1 WHERE id = ?').run(outboxId);
}

export function setItemStatus(
  db: Database.Database,
  clock: Clock,
  outboxId: number,
  status: OutboxStatus,
  reasonCode: string | null,
  reason: string | null,
  nextAttemptAt: string | null = null,
): void {
  prepareCached(
    db,
    `UPDATE outbox SET status = ?, reason_code = ?, reason = ?, next_attempt_at = ?, lease_owner = NULL,
       lease_expires_at = NULL, updated_at = ? WHERE id = ?`,
  ).run(status, reasonCode, reason, nextAttemptAt, isoNow(clock), outboxId);
}

/**
 * Claims up to `limit` runnable items of one client for `owner`, oldest first. An item waits while
 * an older item of the same console candidate is still pending or running, so events of one
 * person reach Ashby in the order they happened.
 */
export function claimItems(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  owner: string,
  leaseMs: number,
  limit: number,
): OutboxRow[] {
  const now = isoNow(clock);
  const leaseUntil = new Date(clock.now() + leaseMs).toISOString();
  return db.transaction(() => {
    const rows = prepareCached(
      db,
      `SELECT o.* FROM outbox o
       WHERE o.client_id = ?
         AND ((o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?))
           OR (o.status = 'running' AND o.lease_expires_at < ?))
         AND NOT EXISTS (
           SELECT 1 FROM outbox earlier
           WHERE earlier.candidate_id = o.candidate_id AND earlier.id < o.id
             AND earlier.status IN ('pending', 'running'))
       ORDER BY o.id
       LIMIT ?`,
    ).all(clientId, now, now, limit) as OutboxRow[];
    const claim = prepareCached(
      db,
      `UPDATE outbox SET status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1,
         updated_at = ? WHERE id = ?`,
    );
    for (const row of rows) claim.run(owner, leaseUntil, now, row.id);
    return rows.map((row) => ({ ...row, status: 'running' as const, attempts: row.attempts + 1 }));
  })();
}

export function extendLeases(
  db: Database.Database,
  clock: Clock,
  owner: string,
  leaseMs: number,
): void {
  const leaseUntil = new Date(clock.now() + leaseMs).toISOString();
  prepareCached(
    db,
    "UPDATE outbox SET lease_expires_at = ? WHERE status = 'running' AND lease_owner = ?",
  ).run(leaseUntil, owner);
}

/** Puts items left running by an engine that stopped without finishing them back in the queue. */
export function releaseAbandoned(db: Database.Database, clock: Clock): number {
  return prepareCached(
    db,
    `UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
     WHERE status = 'running'`,
  ).run(isoNow(clock)).changes;
}

/** Client ids that have runnable items now. */
export function clientsWithRunnableItems(db: Database.Database, clock: Clock): number[] {
  const now = isoNow(clock);
  // One probe per client on the (client_id, status) index, each stopping at its first runnable
  // item: a DISTINCT over the outbox read every pending item of a big push on each wake.
  const rows = prepareCached(
    db,
    `SELECT id FROM clients c
     WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.client_id = c.id AND o.status = 'pending'
                     AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?))
        OR EXISTS (SELECT 1 FROM outbox o WHERE o.client_id = c.id AND o.status = 'running'
                     AND o.lease_expires_at < ?)
     ORDER BY id`,
  ).all(now, now) as { id: number }[];
  return rows.map((row) => row.id);
}

/** Returns the earliest time a pending item becomes runnable, or undefined when none is waiting. */
export function nextDueAt(db: Database.Database, clientId?: number): string | undefined {
  const row = (
    clientId === undefined
      ? prepareCached(
          db,
          "SELECT MIN(COALESCE(next_attempt_at, '')) AS due FROM outbox WHERE status = 'pending'",
        ).get()
      : prepareCached(
          db,
          "SELECT MIN(COALESCE(next_attempt_at, '')) AS due FROM outbox WHERE status = 'pending' AND client_id = ?",
        ).get(clientId)
  ) as { due: string | null };
  return row.due ?? undefined;
}

export type QueueCounts = Partial<Record<OutboxStatus, number>>;

/** Statuses of items not yet finished: the ones the dashboard and the client list count. */
const UNFINISHED_STATUSES: readonly OutboxStatus[] = [
  'pending',
  'running',
  'paused',
  'review',
  'failed',
  'needs_attention',
];

/**
 * Counts outbox items per client and status, optionally for one client or only some statuses.
 * A client with no matching item has no entry.
 */
export function countQueueItems(
  db: Database.Database,
  options: { clientId?: number; statuses?: readonly OutboxStatus[] } = {},
): Map<number, QueueCounts> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (options.clientId !== undefined) {
    conditions.push('client_id = ?');
    params.push(options.clientId);
  }
  if (options.statuses !== undefined) {
    conditions.push(`status IN (${options.statuses.map(() => '?').join(', ')})`);
    params.push(...options.statuses);
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const rows = prepareCached(
    db,
    `SELECT client_id AS clientId, status, COUNT(*) AS count FROM outbox ${where} GROUP BY client_id, status`,
  ).all(...params) as { clientId: number; status: OutboxStatus; count: number }[];
  const byClient = new Map<number, QueueCounts>();
  for (const row of rows) {
    let counts = byClient.get(row.clientId);
    if (counts === undefined) {
      counts = {};
      byClient.set(row.clientId, counts);
    }
    counts[row.status] = row.count;
  }
  return byClient;
}

export function queueCounts(db: Database.Database, clientId: number): QueueCounts {
  return countQueueItems(db, { clientId }).get(clientId) ?? {};
}

/** Counts of unfinished items, grouped as the dashboard shows them. */
export interface UnfinishedCounts {
  /** Items still to reach Ashby: pending, running or paused. */
  pending: number;
  review: number;
  failed: number;
  needsAttention: number;
}

/** Groups per-status counts the way the dashboard and the client list show them. */
export function toUnfinishedCounts(counts: QueueCounts): UnfinishedCounts {
  return {
    pending: (counts.pending ?? 0) + (counts.running ?? 0) + (counts.paused ?? 0),
    review: counts.review ?? 0,
    failed: counts.failed ?? 0,
    needsAttention: counts.needs_attention ?? 0,
  };
}

/** Counts each client's unfinished items. A client with none has no entry. */
export function unfinishedCountsByClient(db: Database.Database): Map<number, UnfinishedCounts> {
  const byClient = countQueueItems(db, { statuses: UNFINISHED_STATUSES });
  return new Map([...byClient].map(([clientId, counts]) => [clientId, toUnfinishedCounts(counts)]));
}

/** Counts items still on their way (pending or running), optionally for one client. */
export function activeItemCount(db: Database.Database, clientId?: number): number {
  const row = (
    clientId === undefined
      ? prepareCached(
          db,
          "SELECT COUNT(*) AS count FROM outbox WHERE status IN ('pending', 'running')",
        ).get()
      : prepareCached(
          db,
          "SELECT COUNT(*) AS count FROM outbox WHERE status IN ('pending', 'running') AND client_id = ?",
        ).get(clientId)
  ) as { count: number };
  return row.count;
}
