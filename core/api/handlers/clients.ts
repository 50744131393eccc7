// Handlers for the `clients:*` channels.
import type Database from 'better-sqlite3';
import type { ClientSummary, QueueCounts } from '../../../shared/contract/index.js';
import { listClients } from '../../store/repo/clients.js';
import type { Handler } from '../registry.js';
import { clientSettingsHandlers } from './client-settings.js';

const EMPTY_COUNTS: QueueCounts = { pending: 0, review: 0, failed: 0, needsAttention: 0 };

/**
 * Counts each client's unfinished outbox items by what the admin sees: `pending` includes items
 * that are running or paused, because they still wait to reach Ashby.
 */
// NOTE: belongs in an outbox repository once one exists; kept here so the dashboard has counts.
export function countQueuesByClient(db: Database.Database): Map<number, QueueCounts> {
  const rows = db
    .prepare(
      `SELECT client_id AS clientId,
              SUM(status IN ('pending', 'running', 'paused')) AS pending,
              SUM(status = 'review') AS review,
              SUM(status = 'failed') AS failed,
              SUM(status = 'needs_attention') AS needsAttention
         FROM outbox
        WHERE status IN ('pending', 'running', 'paused', 'review', 'failed', 'needs_attention')
        GROUP BY client_id`,
    )
    .all() as Array<QueueCounts & { clientId: number }>;
  return new Map(rows.map(({ clientId, ...counts }) => [clientId, counts]));
}

export function listClientSummaries(db: Database.Database): ClientSummary[] {
  const counts = countQueuesByClient(db);
  return listClients(db).map((client) => ({
    id: client.id,
    name: client.name,
    status: client.status,
    statusReason: client.statusReason,
    counts: counts.get(client.id) ?? EMPTY_COUNTS,
    lastPushAt: client.lastPushAt,
    isSandbox: client.isSandbox,
  }));
}

export const clientsHandlers = {
  'clients:list': ((_input, context) => listClientSummaries(context.db)) satisfies Handler<'clients:list'>,
  ...clientSettingsHandlers,
};
