// Clients: one Ashby tenant each. API keys of real tenants never touch this table; only the
// built-in sandbox tenant keeps its (non-secret) key in `sandbox_api_key`.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  ClientStatus,
  DEFAULT_ENABLED_EVENTS,
  LifecycleEvent,
} from '../../../shared/domain.js';
import { isoNow, type Clock } from '../../clock.js';
import { isUniqueViolation, StoreConflictError, StoreNotFoundError } from '../errors.js';
import { buildAssignments, fromBoolean, parseJsonColumn, toBoolean } from './rows.js';

export interface Client {
  id: number;
  name: string;
  baseUrl: string;
  isSandbox: boolean;
  /** Key of the built-in sandbox tenant; always null for a real tenant. */
  sandboxApiKey: string | null;
  status: ClientStatus;
  statusReason: string | null;
  /** True when an admin disconnected the client, as opposed to Ashby rejecting the key. */
  disconnectedByUser: boolean;
  enabledEvents: LifecycleEvent[];
  sourceId: string | null;
  sourceTitle: string | null;
  archiveReasonId: string | null;
  archiveReasonText: string | null;
  reviewBeforePush: boolean;
  /** Days audit entries are kept; null keeps them forever. */
  auditRetentionDays: number | null;
  keyTitle: string | null;
  keyScopes: string[];
  lastPushAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewClient {
  name: string;
  baseUrl: string;
  isSandbox?: boolean;
  sandboxApiKey?: string | null;
  enabledEvents?: readonly LifecycleEvent[];
}

/** Settings an admin edits; fields left undefined keep their stored value. */
export interface ClientSettingsPatch {
  name?: string;
  baseUrl?: string;
  enabledEvents?: readonly LifecycleEvent[];
  sourceId?: string | null;
  sourceTitle?: string | null;
  archiveReasonId?: string | null;
  archiveReasonText?: string | null;
  reviewBeforePush?: boolean;
  auditRetentionDays?: number | null;
}

interface ClientRow {
  id: number;
  name: string;
  base_url: string;
  is_sandbox: number;
  sandbox_api_key: string | null;
  status: string;
  status_reason: string | null;
  disconnected_by_user: number;
  enabled_events: string;
  source_id: string | null;
  source_title: string | null;
  archive_reason_id: string | null;
  archive_reason_text: string | null;
  review_before_push: number;
  audit_retention_days: number | null;
  key_title: string | null;
  key_scopes: string;
  last_push_at: string | null;
  created_at: string;
  updated_at: string;
}

const EnabledEvents = z.array(LifecycleEvent);
const KeyScopes = z.array(z.string());

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    isSandbox: toBoolean(row.is_sandbox),
    sandboxApiKey: row.sandbox_api_key,
    status: ClientStatus.parse(row.status),
    statusReason: row.status_reason,
    disconnectedByUser: toBoolean(row.disconnected_by_user),
    enabledEvents: parseJsonColumn(EnabledEvents, row.enabled_events, `clients.enabled_events of client ${row.id}`),
    sourceId: row.source_id,
    sourceTitle: row.source_title,
    archiveReasonId: row.archive_reason_id,
    archiveReasonText: row.archive_reason_text,
    reviewBeforePush: toBoolean(row.review_before_push),
    auditRetentionDays: row.audit_retention_days,
    keyTitle: row.key_title,
    keyScopes: parseJsonColumn(KeyScopes, row.key_scopes, `clients.key_scopes of client ${row.id}`),
    lastPushAt: row.last_push_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function nameTaken(name: string, error: unknown): StoreConflictError {
  return new StoreConflictError(
    `A client named "${name}" already exists (names compare case-insensitively). Choose another name.`,
    { field: 'name', name },
    error,
  );
}

/** Inserts a client and returns it. Throws StoreConflictError when the name is taken. */
export function createClient(db: Database.Database, clock: Clock, input: NewClient): Client {
  const isSandbox = input.isSandbox ?? false;
  if (!isSandbox && input.sandboxApiKey != null) {
    throw new Error('Only the sandbox client may store its API key in the database.');
  }
  const now = isoNow(clock);
  try {
    const result = db
      .prepare(
        `INSERT INTO clients (name, base_url, is_sandbox, sandbox_api_key, enabled_events, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.name,
        input.baseUrl,
        fromBoolean(isSandbox),
        input.sandboxApiKey ?? null,
        JSON.stringify(input.enabledEvents ?? DEFAULT_ENABLED_EVENTS),
        now,
        now,
      );
    return requireClient(db, Number(result.lastInsertRowid));
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name, error);
    throw error;
  }
}

export function getClient(db: Database.Database, id: number): Client | null {
  const row = db.prepare('SELECT * FROM clients WHERE id = ?').get(id) as ClientRow | undefined;
  return row ? toClient(row) : null;
}

/** Returns the client with this name, compared case-insensitively, or null. */
export function getClientByName(db: Database.Database, name: string): Client | null {
  const row = db.prepare('SELECT * FROM clients WHERE name = ?').get(name) as ClientRow | undefined;
  return row ? toClient(row) : null;
}

/** Returns the client with this id or throws StoreNotFoundError. */
export function requireClient(db: Database.Database, id: number): Client {
  const client = getClient(db, id);
  if (!client) throw new StoreNotFoundError('Client', 'clients', id);
  return client;
}

/** Returns every client, sorted by name. */
export function listClients(db: Database.Database): Client[] {
  const rows = db.prepare('SELECT * FROM clients ORDER BY name COLLATE NOCASE, id').all() as ClientRow[];
  return rows.map(toClient);
}

// Runs `UPDATE clients SET <columns>, updated_at` for one client and returns the updated row.
function updateColumns(db: Database.Database, clock: Clock, id: number, columns: Record<string, unknown>): Client {
  const assignments = buildAssignments({ ...columns, updated_at: isoNow(clock) });
  const result = db.prepare(`UPDATE clients SET ${assignments.sql} WHERE id = ?`).run(...assignments.params, id);
  if (result.changes === 0) throw new StoreNotFoundError('Client', 'clients', id);
  return requireClient(db, id);
}

/** Updates the settings present in `patch` and returns the client. */
export function updateClientSettings(
  db: Database.Database,
  clock: Clock,
  id: number,
  patch: ClientSettingsPatch,
): Client {
  if (patch.auditRetentionDays != null && !(Number.isInteger(patch.auditRetentionDays) && patch.auditRetentionDays > 0)) {
    throw new Error(`Audit retention must be a whole number of days above 0, got ${patch.auditRetentionDays}.`);
  }
  const columns = {
    name: patch.name,
    base_url: patch.baseUrl,
    enabled_events: patch.enabledEvents === undefined ? undefined : JSON.stringify([...new Set(patch.enabledEvents)]),
    source_id: patch.sourceId,
    source_title: patch.sourceTitle,
    archive_reason_id: patch.archiveReasonId,
    archive_reason_text: patch.archiveReasonText,
    review_before_push: patch.reviewBeforePush === undefined ? undefined : fromBoolean(patch.reviewBeforePush),
    audit_retention_days: patch.auditRetentionDays,
  };
  try {
    return updateColumns(db, clock, id, columns);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(patch.name ?? '', error);
    throw error;
  }
}

/**
 * Records the client's connection health. `disconnectedByUser` defaults to false, so any status
 * change other than an admin's disconnect clears the flag.
 */
export function setClientStatus(
  db: Database.Database,
  clock: Clock,
  id: number,
  status: ClientStatus,
  reason: string | null,
  options: { disconnectedByUser?: boolean } = {},
): Client {
  return updateColumns(db, clock, id, {
    status,
    status_reason: reason,
    disconnected_by_user: fromBoolean(options.disconnectedByUser ?? false),
  });
}

/** Stores what Ashby's `apiKey.info` returned about the client's key (never the key itself). */
export function setClientKeyInfo(
  db: Database.Database,
  clock: Clock,
  id: number,
  info: { title: string | null; scopes: readonly string[] },
): Client {
  return updateColumns(db, clock, id, { key_title: info.title, key_scopes: JSON.stringify(info.scopes) });
}

/** Stores the sandbox tenant's key. Throws for a real tenant, whose key belongs in the keychain. */
export function setSandboxApiKey(db: Database.Database, clock: Clock, id: number, key: string | null): Client {
  const client = requireClient(db, id);
  if (!client.isSandbox) {
    throw new Error(`Client ${id} is not the sandbox tenant; its API key belongs in the OS keychain.`);
  }
  return updateColumns(db, clock, id, { sandbox_api_key: key });
}

/** Records the time of the client's last successful write to Ashby. */
export function setLastPushAt(db: Database.Database, clock: Clock, id: number, at: string = isoNow(clock)): Client {
  return updateColumns(db, clock, id, { last_push_at: at });
}
