// Queue services: list outbox items with who they are about and what they will do in Ashby, and
// approve or discard items waiting for review.
import { OUTBOX_STATUSES, type EventOrigin, type LifecycleEvent, type OutboxStatus } from '../../shared/domain.js';
import { AppError } from '../../shared/errors.js';
import type { PlannedEffectKind } from '../engine/plans.js';
import type { Services } from './context.js';
import { requireClientRef, type ClientRef } from './lookup.js';

/** Statuses `listQueue` shows by default: everything not yet finished. */
export const OPEN_STATUSES: readonly OutboxStatus[] = ['pending', 'running', 'review', 'paused', 'needs_attention', 'failed'];

export interface QueueItem {
  id: number;
  clientId: number;
  clientName: string;
  roleId: number;
  roleExternalId: string;
  roleTitle: string;
  candidateId: number;
  candidateExternalId: string;
  candidateName: string;
  email: string | null;
  linkedinUrl: string | null;
  event: LifecycleEvent;
  origin: EventOrigin;
  status: OutboxStatus;
  reasonCode: string | null;
  /** Why the item waits, in a sentence; null for an item simply queued. */
  reason: string | null;
  /** What sending the item will do in Ashby, from the local index (a preview, not a promise). */
  plannedEffect: string;
  plannedEffectKind: PlannedEffectKind;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface QueueListOptions {
  client?: ClientRef;
  statuses?: readonly OutboxStatus[];
  /** Maximum items returned, oldest first. Default 1000. */
  limit?: number;
}

type QueueRow = Omit<QueueItem, 'plannedEffect' | 'plannedEffectKind'>;

/** Lists outbox items (open ones by default), oldest first, each with its planned effect in Ashby. */
export function listQueue(services: Services, options: QueueListOptions = {}): QueueItem[] {
  const statuses = options.statuses ?? OPEN_STATUSES;
  const unknown = statuses.filter((status) => !(OUTBOX_STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0) throw new AppError('invalid_input', `Unknown queue status ${unknown.join(', ')}; use ${OUTBOX_STATUSES.join(', ')}.`);
  if (statuses.length === 0) return [];
  const clientId = options.client === undefined ? null : requireClientRef(services, options.client).id;
  const limit = options.limit ?? 1000;
  const rows = services.db
    .prepare(
      `SELECT o.id, o.client_id AS clientId, c.name AS clientName, o.role_id AS roleId, r.external_id AS roleExternalId,
              r.title AS roleTitle, o.candidate_id AS candidateId, p.external_id AS candidateExternalId, p.name AS candidateName,
              p.email, p.linkedin_url AS linkedinUrl, o.event, o.origin, o.status, o.reason_code AS reasonCode, o.reason,
              o.attempts, o.next_attempt_at AS nextAttemptAt, o.created_at AS createdAt
         FROM outbox o
         JOIN clients c ON c.id = o.client_id
         JOIN roles r ON r.id = o.role_id
         JOIN candidates p ON p.id = o.candidate_id
        WHERE o.status IN (${statuses.map(() => '?').join(', ')}) AND (? IS NULL OR o.client_id = ?)
        ORDER BY o.id
        LIMIT ?`,
    )
    .all(...statuses, clientId, clientId, limit) as QueueRow[];
  return rows.map((row) => {
    const effect = services.engine.plannedEffect(row.id);
    return { ...row, plannedEffect: effect.summary, plannedEffectKind: effect.kind };
  });
}

export interface ReviewResult {
  /** Items changed. */
  changed: number[];
  /** Items left as they were, with the reason. */
  skipped: { id: number; reason: string }[];
  /** Requested ids with no queue item (also listed in `skipped`). */
  notFound: number[];
}

function missingIds(services: Services, ids: readonly number[]): number[] {
  const exists = services.db.prepare('SELECT 1 FROM outbox WHERE id = ?');
  return ids.filter((id) => exists.get(id) === undefined);
}

function describeSkips(services: Services, ids: readonly number[], allowed: readonly string[]): Map<number, string> {
  const skipped = new Map<number, string>();
  const statusOf = services.db.prepare('SELECT status FROM outbox WHERE id = ?');
  for (const id of ids) {
    const row = statusOf.get(id) as { status: string } | undefined;
    if (row === undefined) skipped.set(id, `no queue item ${id}`);
    else if (!allowed.includes(row.status)) skipped.set(id, `item ${id} is ${row.status}, not ${allowed.join(' or ')}`);
  }
  return skipped;
}

/**
 * Approves items waiting for review so the engine sends them. Pass ids, or `all` with a client to
 * approve every item of that client in review.
 */
export function approve(services: Services, target: { ids: readonly number[] } | { all: ClientRef }): ReviewResult {
  let ids: number[];
  if ('all' in target) {
    const client = requireClientRef(services, target.all);
    ids = (services.db.prepare("SELECT id FROM outbox WHERE client_id = ? AND status = 'review' ORDER BY id").all(client.id) as { id: number }[]).map(
      (row) => row.id,
    );
  } else {
    ids = [...new Set(target.ids)];
  }
  const skipped = describeSkips(services, ids, ['review']);
  const runnable = ids.filter((id) => !skipped.has(id));
  services.engine.reviewApprove(runnable);
  return { changed: runnable, skipped: [...skipped].map(([id, reason]) => ({ id, reason })), notFound: missingIds(services, ids) };
}

/** Discards items with the admin's reason; they are never sent. The audit log keeps the reason. */
export function discard(services: Services, ids: readonly number[], reason: string): ReviewResult {
  const text = reason.trim();
  if (text === '') throw new AppError('invalid_input', 'A reason is required to discard queue items; say why they should not be sent.');
  const unique = [...new Set(ids)];
  const skipped = describeSkips(services, unique, ['review', 'pending', 'paused', 'needs_attention', 'failed']);
  const discardable = unique.filter((id) => !skipped.has(id));
  services.engine.reviewDiscard(discardable, text);
  return { changed: discardable, skipped: [...skipped].map(([id, why]) => ({ id, reason: why })), notFound: missingIds(services, unique) };
}

/** Sends failed, needs-attention or cancelled items again, and only those. */
export function retry(services: Services, ids: readonly number[]): ReviewResult {
  const unique = [...new Set(ids)];
  const skipped = describeSkips(services, unique, ['needs_attention', 'failed', 'cancelled']);
  const changed = unique.filter((id) => !skipped.has(id) && services.engine.retryItem(id));
  return { changed, skipped: [...skipped].map(([id, reason]) => ({ id, reason })), notFound: missingIds(services, unique) };
}
