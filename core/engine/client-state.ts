// Client status as the engine tracks it (connected, offline, disconnected) and one Ashby port per
// client, built from the client's stored key on first use.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ClientStatus } from '../../shared/domain.js';
import type { AshbyClient, RateLimiterRegistry } from '../ashby/index.js';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import { createAshbyPort } from './ashby-adapter.js';
import type { AshbyPort } from './ashby-port.js';
import type { EngineAuditEntry } from './audit.js';
import type { AshbyConnection, CreateClientOptions } from './config.js';
import type { EngineEvents } from './events.js';
import { getClient, type ClientRow } from './rows.js';

export interface ClientStateDeps {
  db: Database.Database;
  clock: Clock;
  logger: Logger;
  events: EngineEvents;
  credentials: (clientId: number) => Promise<AshbyConnection | null>;
  makeClient: (options: CreateClientOptions) => AshbyClient;
  limiter: RateLimiterRegistry;
  audit(entry: EngineAuditEntry): void;
  wake(): void;
  emitQueueCounts(clientId: number): void;
}

export function createClientState(deps: ClientStateDeps) {
  const {
    db,
    clock,
    logger,
    events,
    credentials,
    makeClient,
    limiter,
    audit,
    wake,
    emitQueueCounts,
  } = deps;
  const ports = new Map<number, { port: AshbyPort; apiKey: string }>();

  function setClientStatus(clientId: number, status: ClientStatus, reason: string | null): void {
    const client = getClient(db, clientId);
    if (client === undefined || (client.status === status && client.status_reason === reason))
      return;
    prepareCached(
      db,
      'UPDATE clients SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?',
    ).run(status, reason, isoNow(clock), clientId);
    logger.info({ clientId, status, reason }, 'client status changed');
    events.emit('client:status', { clientId, status, reason });
  }

  function markReachable(client: ClientRow): void {
    // Runs after every Ashby response, so it reads the status column alone.
    const status = prepareCached(db, 'SELECT status FROM clients WHERE id = ?').pluck().get(client.id);
    if (status !== 'offline') return;
    // Ashby responds again, so items waiting out their network backoff may run now.
    prepareCached(
      db,
      `UPDATE outbox SET next_attempt_at = NULL, updated_at = ? WHERE client_id = ? AND status = 'pending'`,
    ).run(isoNow(clock), client.id);
    setClientStatus(client.id, 'connected', null);
    wake();
  }

  function disconnect(clientId: number, message: string): void {
    const client = getClient(db, clientId);
    db.transaction(() => {
      prepareCached(
        db,
        `UPDATE outbox SET status = 'paused', reason_code = 'client_disconnected', reason = ?, lease_owner = NULL,
           lease_expires_at = NULL, updated_at = ? WHERE client_id = ? AND status IN ('pending', 'running')`,
      ).run(`${client?.name ?? 'client'} is disconnected: ${message}`, isoNow(clock), clientId);
      audit({
        clientId,
        action: 'client_disconnected',
        outcome: 'failed',
        message: `disconnected: ${message}`,
      });
    })();
    ports.delete(clientId);
    setClientStatus(clientId, 'disconnected', `key rejected: ${message}`);
    events.emit('notice', {
      level: 'error',
      clientId,
      message: `${client?.name ?? 'Client'} is disconnected: key rejected`,
    });
    emitQueueCounts(clientId);
  }

  async function portFor(client: ClientRow): Promise<AshbyPort | null> {
    const cached = ports.get(client.id);
    if (cached !== undefined) return cached.port;
    const connection = await credentials(client.id);
    if (connection === null) return null;
    const ashbyClient = makeClient({
      baseUrl: connection.baseUrl,
      apiKey: connection.apiKey,
      label: client.name,
      limiter,
    });
    const port = createAshbyPort(ashbyClient);
    ports.set(client.id, { port, apiKey: connection.apiKey });
    return port;
  }

  return {
    setClientStatus,
    markReachable,
    disconnect,
    portFor,
    forgetPort: (clientId: number) => ports.delete(clientId),
  };
}
