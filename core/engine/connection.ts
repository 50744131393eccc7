// Connection checks: test a client's key against the permissions its enabled events need, and
// reconnect a client, resuming the pushes that waited while it was disconnected.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ClientStatus } from '../../shared/domain.js';
import { checkPermissions, isAshbyError, type PermissionCheck } from '../ashby/index.js';
import { isoNow, type Clock } from '../clock.js';
import type { EngineAuditEntry } from './audit.js';
import type { AshbyPort } from './ashby-port.js';
import { enabledEvents, getClient, type ClientRow } from './rows.js';

export interface ConnectionTest {
  ok: boolean;
  clientId: number;
  /** False when Ashby rejected the key or no key is stored. */
  keyAccepted: boolean;
  /** False when Ashby could not be reached, so nothing is known about the key. */
  reachable: boolean;
  keyTitle: string | null;
  /** Set when Ashby returned the key's scopes; lists what each enabled event lacks. */
  permissions: PermissionCheck | null;
  message: string;
}

export interface ConnectionDeps {
  db: Database.Database;
  clock: Clock;
  logger: Logger;
  portFor(client: ClientRow): Promise<AshbyPort | null>;
  forgetPort(clientId: number): void;
  setClientStatus(clientId: number, status: ClientStatus, reason: string | null): void;
  audit(entry: EngineAuditEntry): void;
  emitQueueCounts(clientId: number): void;
  wake(): void;
}

function describeMissing(permissions: PermissionCheck): string {
  const parts = permissions.events
    .filter((event) => event.missing.length > 0)
    .map((event) => `${event.event} needs missing permission ${event.missing.join(', ')}`);
  if (permissions.healthCheck.missing.length > 0) {
    parts.push(
      `the health check needs missing permission ${permissions.healthCheck.missing.join(', ')}`,
    );
  }
  return parts.join('; ');
}

export function createConnectionChecks(deps: ConnectionDeps) {
  const { db, clock, logger } = deps;

  async function testConnection(clientId: number): Promise<ConnectionTest> {
    const client = getClient(db, clientId);
    if (client === undefined) throw new Error(`client ${clientId} was not found`);
    deps.forgetPort(clientId);
    const port = await deps.portFor(client);
    const base = { clientId, keyTitle: null, permissions: null };
    if (port === null) {
      return {
        ...base,
        ok: false,
        keyAccepted: false,
        reachable: true,
        message: `no API key is stored for ${client.name}`,
      };
    }

    try {
      const info = await port.apiKeyInfo();
      const permissions = checkPermissions(info.scopes, enabledEvents(client));
      db.prepare(
        'UPDATE clients SET key_title = ?, key_scopes = ?, updated_at = ? WHERE id = ?',
      ).run(info.title, JSON.stringify(info.scopes), isoNow(clock), clientId);
      const message = permissions.ok
        ? `connected to ${client.name} with key "${info.title}"`
        : describeMissing(permissions);
      return {
        ...base,
        ok: permissions.ok,
        keyAccepted: true,
        reachable: true,
        keyTitle: info.title,
        permissions,
        message,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ clientId, err: error }, 'connection test failed');
      if (isAshbyError(error) && error.kind === 'permission') {
        // The key works, but without apiKeysRead its other permissions cannot be listed.
        return { ...base, ok: false, keyAccepted: true, reachable: true, message };
      }
      if (isAshbyError(error) && error.kind === 'auth') {
        return { ...base, ok: false, keyAccepted: false, reachable: true, message };
      }
      return { ...base, ok: false, keyAccepted: false, reachable: false, message };
    }
  }

  async function reconnectClient(clientId: number): Promise<ConnectionTest> {
    const result = await testConnection(clientId);
    if (!result.keyAccepted && result.reachable) {
      deps.setClientStatus(clientId, 'disconnected', result.message);
      return result;
    }

    // Pushes that waited for the key go back to the queue; those parked for a permission are
    // retried too once the key has every permission.
    const resumed = db.transaction(() => {
      const now = isoNow(clock);
      let count = db
        .prepare(
          `UPDATE outbox SET status = 'pending', reason_code = NULL, reason = NULL, next_attempt_at = NULL, updated_at = ?
           WHERE client_id = ? AND status = 'paused' AND reason_code = 'client_disconnected'`,
        )
        .run(now, clientId).changes;
      if (result.ok) {
        count += db
          .prepare(
            `UPDATE outbox SET status = 'pending', reason_code = NULL, reason = NULL, next_attempt_at = NULL, updated_at = ?
             WHERE client_id = ? AND status = 'needs_attention' AND reason_code = 'ashby_missing_permission'`,
          )
          .run(now, clientId).changes;
      }
      db.prepare('UPDATE clients SET disconnected_by_user = 0 WHERE id = ?').run(clientId);
      deps.audit({
        clientId,
        action: 'client_reconnected',
        outcome: 'ok',
        actor: 'admin',
        message: `reconnected; ${count} waiting items resumed`,
      });
      return count;
    })();

    if (!result.reachable) deps.setClientStatus(clientId, 'offline', result.message);
    else if (result.ok) deps.setClientStatus(clientId, 'connected', null);
    else deps.setClientStatus(clientId, 'needs_attention', result.message);
    logger.info({ clientId, resumed }, 'client reconnected');
    deps.emitQueueCounts(clientId);
    deps.wake();
    return result;
  }

  return { testConnection, reconnectClient };
}
