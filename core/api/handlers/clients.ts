// Handlers for the `clients:*` channels.
import type Database from 'better-sqlite3';
import type { ClientSummary, QueueCounts } from '../../../shared/contract/index.js';
import { unfinishedCountsByClient } from '../../engine/outbox-store.js';
import { listClients } from '../../store/repo/clients.js';
import type { Handler } from '../registry.js';
import { clientSettingsHandlers } from './client-settings.js';

const EMPTY_COUNTS: QueueCounts = { pending: 0, review: 0, failed: 0, needsAttention: 0 };

export function listClientSummaries(db: Database.Database): ClientSummary[] {
  const counts = unfinishedCountsByClient(db);
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
