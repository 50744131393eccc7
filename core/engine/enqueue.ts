import type Database from 'better-sqlite3';
import type { EventOrigin, LifecycleEvent } from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';

export interface LifecycleEventInput {
  clientId: number;
  roleId: number;
  candidateId: number;
  event: LifecycleEvent;
  origin: EventOrigin;
  runId?: number | null;
}

/**
 * Inserts one lifecycle event into the outbox and returns its id.
 *
 * Synchronous on purpose: callers run it inside the same SQLite transaction as the state change
 * that caused the event, so the event and the change are committed together or not at all.
 * The engine decides later whether the item runs, waits for review or is skipped.
 */
export function enqueueLifecycleEvent(
  db: Database.Database,
  clock: Clock,
  input: LifecycleEventInput,
): number {
  const now = isoNow(clock);
  const result = db
    .prepare(
      `INSERT INTO outbox (client_id, role_id, candidate_id, event, origin, run_id, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    )
    .run(
      input.clientId,
      input.roleId,
      input.candidateId,
      input.event,
      input.origin,
      input.runId ?? null,
      now,
      now,
    );
  return Number(result.lastInsertRowid);
}
