import type Database from 'better-sqlite3';
import {
  LIFECYCLE_EVENT_LABELS,
  type EventOrigin,
  type LifecycleEvent,
} from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';
import { appendAudit } from '../store/repo/audit.js';

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
 * The item starts pending, or in review when the client has review before push on, or paused while the
 * client is disconnected. It is discarded, with the reason, when the role is not linked or the
 * event is turned off for the client. The engine runs pending items.
 */
export function enqueueLifecycleEvent(
  db: Database.Database,
  clock: Clock,
  input: LifecycleEventInput,
  batch?: EnqueueBatch,
): number {
  const now = batch?.now ?? isoNow(clock);
  const initial = initialStatus(db, input, batch);
  const result = statementsFor(db).insert.run(
    input.clientId,
    input.roleId,
    input.candidateId,
    input.event,
    input.origin,
    input.runId ?? null,
    initial.status,
    initial.reasonCode,
    initial.reason,
    now,
    now,
  );
  const outboxId = Number(result.lastInsertRowid);
  if (initial.status === 'discarded' && initial.reasonCode === 'event_disabled') {
    appendAudit(db, clock, {
      clientId: input.clientId,
      roleId: input.roleId,
      candidateId: input.candidateId,
      outboxId,
      event: input.event,
      action: 'skipped',
      outcome: 'skipped',
      message: `skipped: ${initial.reason ?? ''}`,
    });
  }
  return outboxId;
}

interface ClientSettings {
  name: string;
  status: string;
  enabledEvents: string[];
  reviewBeforePush: boolean;
}

interface RoleLink {
  title: string;
  ashby_job_id: string | null;
}

/**
 * The time and the client and role settings that one transaction enqueueing many events reads
 * once, instead of once per event. Create one per transaction: the settings can change between
 * transactions.
 */
export class EnqueueBatch {
  readonly now: string;
  readonly clients = new Map<number, ClientSettings | undefined>();
  readonly roles = new Map<number, RoleLink | undefined>();

  constructor(clock: Clock) {
    this.now = isoNow(clock);
  }
}

interface EnqueueStatements {
  insert: Database.Statement;
  client: Database.Statement;
  role: Database.Statement;
}

// Prepared once per connection: a bulk push enqueues thousands of items in a row.
const preparedStatements = new WeakMap<Database.Database, EnqueueStatements>();

function statementsFor(db: Database.Database): EnqueueStatements {
  let statements = preparedStatements.get(db);
  if (statements === undefined) {
    statements = {
      insert: db.prepare(
        `INSERT INTO outbox (client_id, role_id, candidate_id, event, origin, run_id, status, reason_code, reason,
           created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      client: db.prepare(
        'SELECT name, status, enabled_events, review_before_push FROM clients WHERE id = ?',
      ),
      role: db.prepare('SELECT title, ashby_job_id FROM roles WHERE id = ?'),
    };
    preparedStatements.set(db, statements);
  }
  return statements;
}

interface InitialStatus {
  status: 'pending' | 'review' | 'paused' | 'discarded';
  reasonCode: string | null;
  reason: string | null;
}

/**
 * Decides where a new item starts. A manual push ignores the event toggles, because an admin asked
 * for that candidate explicitly, but like every other origin it waits in review when the client's
 * review-before-push setting is on.
 */
function initialStatus(
  db: Database.Database,
  input: LifecycleEventInput,
  batch: EnqueueBatch | undefined,
): InitialStatus {
  const client = readClient(db, input.clientId, batch);
  if (client === undefined) return { status: 'pending', reasonCode: null, reason: null };

  const role = readRole(db, input.roleId, batch);
  if (role !== undefined && role.ashby_job_id === null) {
    // Nothing to push to yet. Linking the role resolves its candidates, and a bulk push sends the rest.
    return {
      status: 'discarded',
      reasonCode: 'role_not_linked',
      reason: `role "${role.title}" is not linked to an Ashby job`,
    };
  }

  const manual = input.origin === 'manual_push';
  if (!manual && !client.enabledEvents.includes(input.event)) {
    return {
      status: 'discarded',
      reasonCode: 'event_disabled',
      reason: `${LIFECYCLE_EVENT_LABELS[input.event]} is turned off for ${client.name}`,
    };
  }
  if (client.reviewBeforePush) {
    return {
      status: 'review',
      reasonCode: 'review_before_push',
      reason: `Review before push is on for ${client.name}: pushes wait in Review until you approve them`,
    };
  }
  if (client.status === 'disconnected') {
    return {
      status: 'paused',
      reasonCode: 'client_disconnected',
      reason: `${client.name} is disconnected; the push is sent after it reconnects`,
    };
  }
  return { status: 'pending', reasonCode: null, reason: null };
}

function readClient(
  db: Database.Database,
  clientId: number,
  batch: EnqueueBatch | undefined,
): ClientSettings | undefined {
  if (batch?.clients.has(clientId)) return batch.clients.get(clientId);
  const row = statementsFor(db).client.get(clientId) as
    | { name: string; status: string; enabled_events: string; review_before_push: number }
    | undefined;
  const client =
    row === undefined
      ? undefined
      : {
          name: row.name,
          status: row.status,
          enabledEvents: parseEnabledEvents(row.enabled_events),
          reviewBeforePush: row.review_before_push === 1,
        };
  batch?.clients.set(clientId, client);
  return client;
}

function readRole(
  db: Database.Database,
  roleId: number,
  batch: EnqueueBatch | undefined,
): RoleLink | undefined {
  if (batch?.roles.has(roleId)) return batch.roles.get(roleId);
  const role = statementsFor(db).role.get(roleId) as RoleLink | undefined;
  batch?.roles.set(roleId, role);
  return role;
}

function parseEnabledEvents(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter((value): value is string => typeof value === 'string')
      : [];
  } catch {
    return [];
  }
}
