// Reads background tasks (the `runs` table) and a task's failed items for the tasks screen.
// NOTE: belongs in a runs repository of the engine or services; kept here so the screen has data.
import type Database from 'better-sqlite3';
import type { TaskFailure, TaskSummary } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';

const SELECT_TASKS = `
  SELECT r.id, r.kind, r.client_id AS clientId, c.name AS clientName, r.role_id AS roleId,
         ro.title AS roleTitle, r.status AS state, r.total, r.done, r.failed, r.skipped, r.message,
         r.created_at AS createdAt, r.updated_at AS updatedAt, r.finished_at AS finishedAt
    FROM runs r
    JOIN clients c ON c.id = r.client_id
    LEFT JOIN roles ro ON ro.id = r.role_id`;

/** Lists tasks, unfinished ones first, then newest first. */
export function listTasks(db: Database.Database, options: { clientId?: number; limit?: number }): TaskSummary[] {
  const where = options.clientId === undefined ? '' : 'WHERE r.client_id = @clientId';
  return db
    .prepare(
      `${SELECT_TASKS} ${where}
       ORDER BY (r.status IN ('running', 'paused')) DESC, r.id DESC
       LIMIT @limit`,
    )
    .all({ clientId: options.clientId ?? null, limit: options.limit ?? 100 }) as TaskSummary[];
}

export function requireTask(db: Database.Database, taskId: number): TaskSummary {
  const task = db.prepare(`${SELECT_TASKS} WHERE r.id = ?`).get(taskId) as TaskSummary | undefined;
  if (task === undefined) throw new AppError('not_found', `Task ${taskId} does not exist.`);
  return task;
}

/** Returns the task's items that failed, need attention or were cancelled, with the reason. */
export function listTaskFailures(db: Database.Database, taskId: number): TaskFailure[] {
  requireTask(db, taskId);
  return db
    .prepare(
      `SELECT o.id AS outboxId, o.candidate_id AS candidateId, p.name AS candidateName, o.event,
              o.status, o.reason
         FROM outbox o JOIN candidates p ON p.id = o.candidate_id
        WHERE o.run_id = ? AND o.status IN ('failed', 'needs_attention', 'cancelled')
        ORDER BY o.id
        LIMIT 1000`,
    )
    .all(taskId) as TaskFailure[];
}
