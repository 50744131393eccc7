// Client services: connect a tenant (key verified before it is stored), list clients with their
// queue counts, test the connection, change settings, replace the key, disconnect and reconnect.
// Keys of real tenants go to the secret store only; a sandbox tenant's key is kept in the database.
import { DEFAULT_ENABLED_EVENTS, LIFECYCLE_EVENTS, type ClientStatus, type LifecycleEvent } from '../../shared/domain.js';
import { AppError } from '../../shared/errors.js';
import { collectPages } from '../ashby/index.js';
import { isoNow } from '../clock.js';
import type { ConnectionTest } from '../engine/engine.js';
import { unfinishedCountsByClient } from '../engine/outbox-store.js';
import { clientAccount } from '../secrets/secret-store.js';
import { appendAudit } from '../store/repo/audit.js';
import {
  createClient,
  getClient,
  getClientByName,
  listClients as listClientRows,
  setClientKeyInfo,
  setClientStatus,
  setSandboxApiKey,
  updateClientSettings as updateClientRow,
  type Client,
  type ClientSettingsPatch,
} from '../store/repo/clients.js';
import { toServiceError } from './ashby-errors.js';
import type { Services } from './context.js';
import { ashbyFor, requireClientRef, type ClientRef } from './lookup.js';
import { requireLocalSandboxUrl } from './sandbox-url.js';
import { describeMissing, normalizeBaseUrl, verifyApiKey, type KeyVerification } from './verify-key.js';

/** Ashby's API host, used when no base URL is given. */
export const ASHBY_BASE_URL = 'https://api.ashbyhq.com';

export interface ClientCounts {
  /** Items still to be sent: pending, running or paused. */
  pending: number;
  waitingReview: number;
  failed: number;
  needsAttention: number;
}

export interface ClientOverview {
  id: number;
  name: string;
  baseUrl: string;
  isSandbox: boolean;
  status: ClientStatus;
  /** Why the client is not connected, in a sentence; null when connected. */
  statusReason: string | null;
  disconnectedByUser: boolean;
  enabledEvents: LifecycleEvent[];
  sourceId: string | null;
  sourceTitle: string | null;
  archiveReasonId: string | null;
  archiveReasonText: string | null;
  reviewBeforePush: boolean;
  auditRetentionDays: number | null;
  keyTitle: string | null;
  counts: ClientCounts;
  /** Time of the last successful write to Ashby (ISO-8601), or null. */
  lastPushAt: string | null;
}

export interface AddClientInput {
  name: string;
  baseUrl?: string;
  apiKey: string;
  events?: readonly LifecycleEvent[];
  /** The key belongs to the built-in sandbox: it is kept in the database, not the keychain. */
  sandbox?: boolean;
  sourceId?: string;
  archiveReasonId?: string;
  reviewBeforePush?: boolean;
}

export interface SettingsInput {
  events?: readonly LifecycleEvent[];
  sourceId?: string | null;
  archiveReasonId?: string | null;
  reviewBeforePush?: boolean;
  auditRetentionDays?: number | null;
  baseUrl?: string;
}

export interface SettingsChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface AshbyOption {
  id: string;
  title: string;
}

export interface AshbyJobOption extends AshbyOption {
  status: string;
  confidential: boolean;
}

const EMPTY_COUNTS: ClientCounts = { pending: 0, waitingReview: 0, failed: 0, needsAttention: 0 };

function countQueues(services: Services): Map<number, ClientCounts> {
  const byClient = unfinishedCountsByClient(services.db);
  return new Map(
    [...byClient].map(([clientId, { review, ...counts }]) => [clientId, { ...counts, waitingReview: review }]),
  );
}

function toOverview(client: Client, counts: ClientCounts): ClientOverview {
  return {
    id: client.id,
    name: client.name,
    baseUrl: client.baseUrl,
    isSandbox: client.isSandbox,
    status: client.status,
    statusReason: client.statusReason,
    disconnectedByUser: client.disconnectedByUser,
    enabledEvents: client.enabledEvents,
    sourceId: client.sourceId,
    sourceTitle: client.sourceTitle,
    archiveReasonId: client.archiveReasonId,
    archiveReasonText: client.archiveReasonText,
    reviewBeforePush: client.reviewBeforePush,
    auditRetentionDays: client.auditRetentionDays,
    keyTitle: client.keyTitle,
    counts,
    lastPushAt: client.lastPushAt,
  };
}

/** Returns every client, sorted by name, with its queue counts. */
export function listClients(services: Services): ClientOverview[] {
  const counts = countQueues(services);
  return listClientRows(services.db).map((client) => toOverview(client, counts.get(client.id) ?? EMPTY_COUNTS));
}

/** Returns one client with its queue counts. */
export function getClientOverview(services: Services, ref: ClientRef): ClientOverview {
  const client = requireClientRef(services, ref);
  return toOverview(client, countQueues(services).get(client.id) ?? EMPTY_COUNTS);
}

/** Checks a list of event names and returns it without duplicates, in lifecycle order. */
export function parseEvents(values: readonly string[]): LifecycleEvent[] {
  const known = new Set<string>(LIFECYCLE_EVENTS);
  const unknown = values.filter((value) => !known.has(value));
  if (unknown.length > 0) {
    throw new AppError('invalid_input', `Unknown event ${unknown.map((value) => `"${value}"`).join(', ')}; use ${LIFECYCLE_EVENTS.join(', ')}.`);
  }
  return LIFECYCLE_EVENTS.filter((event) => values.includes(event));
}

function audit(services: Services, clientId: number, action: string, message: string, details?: unknown): void {
  appendAudit(services.db, services.clock, {
    clientId,
    action,
    outcome: 'ok',
    message,
    actor: services.actor,
    ...(details === undefined ? {} : { details }),
  });
}

// `outcome` names what did not happen ("The client was not added"). A missing permission gets its own
// wording here, because the verification message speaks of a stored key whose reads still work.
function failVerification(verification: KeyVerification, outcome: string): never {
  const code =
    verification.problem === 'missing_permissions'
      ? 'ashby_permission'
      : verification.problem === 'unreachable'
        ? 'ashby_unreachable'
        : verification.problem === 'invalid_base_url'
          ? 'invalid_input'
          : verification.problem === 'key_rejected'
            ? 'ashby_auth'
            : 'ashby_error';
  const message =
    verification.problem === 'missing_permissions' && verification.missingByEvent.length > 0
      ? `The key lacks permissions: ${describeMissing(verification.missingByEvent)}. ${outcome}: grant those permissions to the key in Ashby, ` +
        'or turn those events off, then run it again.'
      : verification.message;
  throw new AppError(code, message, { details: { verification } });
}

/**
 * Verifies the key, then stores the client and its key: in the secret store for a real tenant,
 * in the database for a sandbox tenant. Throws AppError: `conflict` for a taken name, an `ashby_*`
 * code when verification fails (`details.verification` holds the checklist), or
 * `secret_store_unavailable` when the keychain cannot take the key (then nothing is stored).
 */
export async function addClient(services: Services, input: AddClientInput): Promise<{ client: ClientOverview; verification: KeyVerification }> {
  const name = input.name.trim();
  if (name === '') throw new AppError('invalid_input', 'The client name is empty; give the client organisation\'s name.');
  if (getClientByName(services.db, name) !== null) {
    throw new AppError('conflict', `A client named "${name}" already exists (names compare case-insensitively). Choose another name.`);
  }
  const baseUrl = normalizeBaseUrl(input.baseUrl ?? ASHBY_BASE_URL);
  if (baseUrl === null) throw new AppError('invalid_input', `"${input.baseUrl}" is not an http(s) URL. Use ${ASHBY_BASE_URL} for Ashby.`);
  const sandbox = input.sandbox ?? false;
  // Checked before verification, which already sends the key to the base URL.
  if (sandbox) requireLocalSandboxUrl(baseUrl);
  const events = input.events ?? DEFAULT_ENABLED_EVENTS;
  const apiKey = input.apiKey.trim();

  const verification = await verifyApiKey(services, { baseUrl, apiKey, events, label: name });
  if (!verification.ok) failVerification(verification, `The client ${name} was not added`);

  const created = createClient(services.db, services.clock, {
    name,
    baseUrl,
    isSandbox: sandbox,
    sandboxApiKey: sandbox ? apiKey : null,
    enabledEvents: events,
  });
  if (!sandbox) {
    try {
      await services.secrets.set(clientAccount(created.id), apiKey);
    } catch (error) {
      // The client row was only just inserted and nothing refers to it yet, so it can go again.
      services.db.prepare('DELETE FROM clients WHERE id = ?').run(created.id);
      throw error;
    }
  }
  setClientKeyInfo(services.db, services.clock, created.id, { title: verification.keyTitle, scopes: verification.scopes });
  audit(
    services,
    created.id,
    'client.added',
    `client added: ${name} at ${baseUrl} with key "${verification.keyTitle ?? 'untitled'}" (${sandbox ? 'sandbox key kept in the database' : `key in the ${services.secrets.kind === 'keychain' ? 'OS keychain' : 'memory secret store'}`})`,
    { baseUrl, events, sandbox },
  );
  services.logger.info({ clientId: created.id, sandbox }, 'client added');

  if (input.sourceId !== undefined || input.archiveReasonId !== undefined || input.reviewBeforePush !== undefined) {
    await updateClientSettings(services, created.id, {
      ...(input.sourceId === undefined ? {} : { sourceId: input.sourceId }),
      ...(input.archiveReasonId === undefined ? {} : { archiveReasonId: input.archiveReasonId }),
      ...(input.reviewBeforePush === undefined ? {} : { reviewBeforePush: input.reviewBeforePush }),
    });
  }
  return { client: getClientOverview(services, created.id), verification };
}

/**
 * Tests the stored key: `apiKey.info` and the permission check. Records the key's title and scopes
 * and updates the status: `needs_attention` when permissions are missing, `connected` again when a
 * `needs_attention` or `offline` client passes. A rejected key disconnects the client and pauses its
 * queue (nothing is deleted); `reconnectClient` resumes it. A client disconnected by an admin keeps
 * that status whatever the result.
 */
export async function testClient(services: Services, ref: ClientRef): Promise<KeyVerification> {
  const client = requireClientRef(services, ref);
  const connection = await services.credentials(client.id);
  if (connection === null) {
    await ashbyFor(services, client);
  }
  const verification = await verifyApiKey(services, {
    baseUrl: client.baseUrl,
    apiKey: connection?.apiKey ?? '',
    events: client.enabledEvents,
    label: client.name,
  });
  if (verification.keyTitle !== null || verification.ok) {
    setClientKeyInfo(services.db, services.clock, client.id, { title: verification.keyTitle, scopes: verification.scopes });
  }
  const userDisconnected = client.status === 'disconnected' && client.disconnectedByUser;
  if (!userDisconnected) {
    if (verification.ok && (client.status === 'needs_attention' || client.status === 'offline')) {
      setClientStatus(services.db, services.clock, client.id, 'connected', null);
    } else if (verification.problem === 'missing_permissions') {
      setClientStatus(services.db, services.clock, client.id, 'needs_attention', verification.message);
    } else if (verification.problem === 'key_rejected' && client.status !== 'disconnected') {
      pauseQueue(services, client, `${client.name} is disconnected: the key was rejected`);
      setClientStatus(services.db, services.clock, client.id, 'disconnected', 'key rejected by Ashby; replace the key');
    }
  }
  audit(services, client.id, 'client.tested', `connection test: ${verification.ok ? 'ok' : verification.message}`, {
    ok: verification.ok,
    problem: verification.problem,
  });
  return verification;
}

// Pauses the client's items that wait to be sent, with the reason code the engine resumes on reconnect.
function pauseQueue(services: Services, client: Client, reason: string): number {
  return services.db
    .prepare(
      `UPDATE outbox SET status = 'paused', reason_code = 'client_disconnected', reason = ?, updated_at = ?
       WHERE client_id = ? AND status = 'pending'`,
    )
    .run(reason, isoNow(services.clock), client.id).changes;
}

/**
 * Disconnects a client on purpose: its queue is paused and nothing is sent until it is
 * reconnected. Nothing in Ashby or in the console is deleted, and the key stays stored.
 */
export function disconnectClient(services: Services, ref: ClientRef): { client: ClientOverview; paused: number } {
  const client = requireClientRef(services, ref);
  const paused = services.db.transaction(() => {
    const count = pauseQueue(services, client, `${client.name} was disconnected by an admin; reconnect it to send`);
    setClientStatus(services.db, services.clock, client.id, 'disconnected', 'disconnected by an admin', { disconnectedByUser: true });
    audit(services, client.id, 'client.disconnected', `client disconnected by an admin; ${count} queued ${count === 1 ? 'item' : 'items'} paused`, { paused: count });
    return count;
  })();
  services.logger.info({ clientId: client.id, paused }, 'client disconnected');
  return { client: getClientOverview(services, client.id), paused };
}

/**
 * Tests the key and, when Ashby accepts it, resumes the items paused by the disconnect. Returns the
 * engine's connection test; `ok` is false when the key was rejected (the client stays disconnected)
 * or lacks permissions (the client is connected but needs attention).
 */
export async function reconnectClient(services: Services, ref: ClientRef): Promise<{ client: ClientOverview; test: ConnectionTest }> {
  const client = requireClientRef(services, ref);
  const test = await services.engine.reconnectClient(client.id);
  return { client: getClientOverview(services, client.id), test };
}

async function validateSource(services: Services, client: Client, sourceId: string): Promise<string> {
  const sources = await listSources(services, client.id);
  const source = sources.find((entry) => entry.id === sourceId);
  if (source === undefined) {
    throw new AppError(
      'validation_failed',
      `Source "${sourceId}" is not an active source in ${client.name}'s Ashby. Sources: ${sources.map((entry) => `${entry.title} (${entry.id})`).join(', ') || 'none'}.`,
    );
  }
  return source.title;
}

async function validateArchiveReason(services: Services, client: Client, reasonId: string): Promise<string> {
  const reasons = await listArchiveReasons(services, client.id);
  const reason = reasons.find((entry) => entry.id === reasonId);
  if (reason === undefined) {
    throw new AppError(
      'validation_failed',
      `Archive reason "${reasonId}" is not an active archive reason in ${client.name}'s Ashby. Reasons: ${reasons.map((entry) => `${entry.title} (${entry.id})`).join(', ') || 'none'}.`,
    );
  }
  return reason.title;
}

/**
 * Changes a client's settings. A source id and an archive reason id are checked against Ashby
 * first. Writes one audit entry per changed field and returns what changed.
 */
export async function updateClientSettings(
  services: Services,
  ref: ClientRef,
  input: SettingsInput,
): Promise<{ client: ClientOverview; changes: SettingsChange[] }> {
  const client = requireClientRef(services, ref);
  const patch: ClientSettingsPatch = {};
  const changes: SettingsChange[] = [];

  if (input.events !== undefined) {
    const events = parseEvents(input.events);
    if (events.join(',') !== client.enabledEvents.join(',')) {
      patch.enabledEvents = events;
      changes.push({ field: 'events', from: client.enabledEvents, to: events });
    }
  }
  if (input.sourceId !== undefined && input.sourceId !== client.sourceId) {
    const title = input.sourceId === null ? null : await validateSource(services, client, input.sourceId);
    patch.sourceId = input.sourceId;
    patch.sourceTitle = title;
    changes.push({ field: 'source', from: client.sourceTitle ?? client.sourceId, to: title });
  }
  if (input.archiveReasonId !== undefined && input.archiveReasonId !== client.archiveReasonId) {
    const text = input.archiveReasonId === null ? null : await validateArchiveReason(services, client, input.archiveReasonId);
    patch.archiveReasonId = input.archiveReasonId;
    patch.archiveReasonText = text;
    changes.push({ field: 'archive reason', from: client.archiveReasonText ?? client.archiveReasonId, to: text });
  }
  if (input.reviewBeforePush !== undefined && input.reviewBeforePush !== client.reviewBeforePush) {
    patch.reviewBeforePush = input.reviewBeforePush;
    changes.push({ field: 'review before push', from: client.reviewBeforePush, to: input.reviewBeforePush });
  }
  if (input.auditRetentionDays !== undefined && input.auditRetentionDays !== client.auditRetentionDays) {
    const days = input.auditRetentionDays;
    if (days !== null && !(Number.isInteger(days) && days > 0)) {
      throw new AppError('invalid_input', `Audit retention must be a whole number of days above 0, got ${days}.`);
    }
    patch.auditRetentionDays = days;
    changes.push({ field: 'audit retention days', from: client.auditRetentionDays, to: days });
  }
  if (input.baseUrl !== undefined) {
    const baseUrl = normalizeBaseUrl(input.baseUrl);
    if (baseUrl === null) throw new AppError('invalid_input', `"${input.baseUrl}" is not an http(s) URL.`);
    // A sandbox client's key sits in the database and is sent to this URL from now on.
    if (client.isSandbox) requireLocalSandboxUrl(baseUrl);
    if (baseUrl !== client.baseUrl) {
      patch.baseUrl = baseUrl;
      changes.push({ field: 'base URL', from: client.baseUrl, to: baseUrl });
    }
  }

  if (changes.length > 0) {
    services.db.transaction(() => {
      updateClientRow(services.db, services.clock, client.id, patch);
      for (const change of changes) {
        audit(services, client.id, 'settings.changed', `${change.field} changed from ${JSON.stringify(change.from)} to ${JSON.stringify(change.to)}`, change);
      }
    })();
  }
  return { client: getClientOverview(services, client.id), changes };
}

/**
 * Verifies a new key for the client and stores it in place of the old one. A client that Ashby
 * had disconnected for a rejected key is reconnected, which resumes its paused queue.
 */
export async function replaceKey(services: Services, ref: ClientRef, apiKey: string): Promise<{ client: ClientOverview; verification: KeyVerification }> {
  const client = requireClientRef(services, ref);
  const key = apiKey.trim();
  if (client.isSandbox) requireLocalSandboxUrl(client.baseUrl);
  const verification = await verifyApiKey(services, { baseUrl: client.baseUrl, apiKey: key, events: client.enabledEvents, label: client.name });
  if (!verification.ok) failVerification(verification, `The key of ${client.name} was not replaced`);
  if (client.isSandbox) setSandboxApiKey(services.db, services.clock, client.id, key);
  else await services.secrets.set(clientAccount(client.id), key);
  setClientKeyInfo(services.db, services.clock, client.id, { title: verification.keyTitle, scopes: verification.scopes });
  audit(services, client.id, 'client.key_replaced', `key replaced; the new key is "${verification.keyTitle ?? 'untitled'}"`);
  const current = getClient(services.db, client.id);
  if (current !== null && current.status !== 'connected' && !current.disconnectedByUser) {
    await services.engine.reconnectClient(client.id);
  }
  return { client: getClientOverview(services, client.id), verification };
}

/** Lists the client's active sources in Ashby (for the source dropdown). */
export async function listSources(services: Services, ref: ClientRef): Promise<AshbyOption[]> {
  const client = requireClientRef(services, ref);
  const ashby = await ashbyFor(services, client);
  try {
    const sources = await ashby.source.list({});
    return sources.results
      .filter((source) => source.isArchived !== true)
      .map((source) => ({ id: source.id, title: source.title ?? source.id }));
  } catch (error) {
    throw toServiceError(error, 'listing sources', client.name);
  }
}

/** Lists the client's active archive reasons in Ashby. */
export async function listArchiveReasons(services: Services, ref: ClientRef): Promise<AshbyOption[]> {
  const client = requireClientRef(services, ref);
  const ashby = await ashbyFor(services, client);
  try {
    const reasons = await ashby.archiveReason.list({});
    return reasons.results
      .filter((reason) => reason.isArchived !== true)
      .map((reason) => ({ id: reason.id, title: reason.text ?? reason.id }));
  } catch (error) {
    throw toServiceError(error, 'listing archive reasons', client.name);
  }
}

/** Lists the client's open and closed jobs in Ashby (drafts are left out), for the role-link dropdown. */
export async function listJobs(services: Services, ref: ClientRef): Promise<AshbyJobOption[]> {
  const client = requireClientRef(services, ref);
  const ashby = await ashbyFor(services, client);
  try {
    const pass = await collectPages((request) => ashby.job.list({ ...request }));
    return pass.items
      .map((job) => ({ id: job.id, title: job.title, status: job.status, confidential: job.confidential === true }))
      .sort((a, b) => a.title.localeCompare(b.title));
  } catch (error) {
    throw toServiceError(error, 'listing jobs', client.name);
  }
}
