// Background runs shown on the Tasks screen (bulk pushes, link resolution, imports) with their
// progress counters.
import type Database from 'better-sqlite3';
import { RunKind, RunStatus } from '../../../shared/domain.js';
import { isoNow, type Clock } from '../../clock.js';
import { StoreNotFoundError } from '../errors.js';
import { buildAssignments } from './rows.js';

export interface Run {
  id: number;
  clientId: number;
  roleId: number | null;
  kind: RunKind;
  status: RunStatus;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set when the run reaches a final status. */
  finishedAt: string | null;
}

export interface RunCounters {
  total?: number;
  done?: number;
  failed?: number;
  skipped?: number;
}

/** Statuses after which a run never changes again. */
export const FINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>([
  'cancelled',
  'completed',
  'completed_with_failures',
  'failed',
]);

interface RunRow {
  id: number;
  client_id: number;
  role_id: number | null;
  kind: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  message: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    clientId: row.client_id,
    roleId: row.role_id,
    kind: RunKind.parse(row.kind),
    status: RunStatus.parse(row.status),
    total: row.total,
    done: row.done,
    failed: row.failed,
    skipped: row.skipped,
    message: row.message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function checkCounters(counters: RunCounters): void {
  for (const [name, value] of Object.entries(counters)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new RangeError(`Run counter ${name} must be a whole number ≥ 0, got ${value}`);
    }
  }
}

/** Inserts a run in status `running` and returns it. */
export function createRun(
  db: Database.Database,
  clock: Clock,
  input: { clientId: number; roleId?: number | null; kind: RunKind; total?: number; message?: string | null },
): Run {
  checkCounters({ total: input.total });
  const now = isoNow(clock);
  const row = db
    .prepare(
      `INSERT INTO runs (client_id, role_id, kind, status, total, message, created_at, updated_at)
       VALUES (?, ?, ?, 'running', ?, ?, ?, ?)
       RETURNING *`,
    )
    .get(input.clientId, input.roleId ?? null, input.kind, input.total ?? 0, input.message ?? null, now, now) as RunRow;
  return toRun(row);
}

export function getRun(db: Database.Database, id: number): Run | null {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toRun(row) : null;
}

/** Returns runs newest first, optionally of one client and in some statuses. */
export function listRuns(
  db: Database.Database,
  filter: { clientId?: number; statuses?: readonly RunStatus[]; limit?: number } = {},
): Run[] {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.clientId !== undefined) {
    conditions.push('client_id = ?');
    params.push(filter.clientId);
  }
  if (filter.statuses && filter.statuses.length > 0) {
    conditions.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = db
    .prepare(`SELECT * FROM runs ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .all(...params, filter.limit ?? 100) as RunRow[];
  return rows.map(toRun);
}

function updateColumns(db: Database.Database, clock: Clock, id: number, columns: Record<string, unknown>): Run {
  const assignments = buildAssignments({ ...columns, updated_at: isoNow(clock) });
  const row = db
    .prepare(`UPDATE runs SET ${assignments.sql} WHERE id = ? RETURNING *`)
    .get(...assignments.params, id) as RunRow | undefined;
  if (!row) throw new StoreNotFoundError('Run', 'runs', id);
  return toRun(row);
}

/** Sets the given counters to absolute values. */
export function setRunCounters(db: Database.Database, clock: Clock, id: number, counters: RunCounters): Run {
  checkCounters(counters);
  return updateColumns(db, clock, id, { ...counters });
}

/** Adds to the counters in one UPDATE, so two connections incrementing at once both count. */
export function incrementRunCounters(db: Database.Database, clock: Clock, id: number, delta: RunCounters): Run {
  const row = db
    .prepare(
      `UPDATE runs SET total = total + ?, done = done + ?, failed = failed + ?, skipped = skipped + ?, updated_at = ?
       WHERE id = ? RETURNING *`,
    )
    .get(delta.total ?? 0, delta.done ?? 0, delta.failed ?? 0, delta.skipped ?? 0, isoNow(clock), id) as
    | RunRow
    | undefined;
  if (!row) throw new StoreNotFoundError('Run', 'runs', id);
  return toRun(row);
}

/**
 * Sets the run's status and message. A final status also sets `finishedAt`; changing a run that
 * already finished throws, because its outcome has been reported.
 */
export function setRunStatus(
  db: Database.Database,
  clock: Clock,
  id: number,
  status: RunStatus,
  message: string | null = null,
): Run {
  const current = getRun(db, id);
  if (!current) throw new StoreNotFoundError('Run', 'runs', id);
  if (FINAL_RUN_STATUSES.has(current.status)) {
    throw new Error(`Run ${id} already finished as ${current.status}; it cannot become ${status}.`);
  }
  return updateColumns(db, clock, id, {
    status,
    message,
    finished_at: FINAL_RUN_STATUSES.has(status) ? isoNow(clock) : null,
  });
}
