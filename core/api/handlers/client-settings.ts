// Handlers for connecting a client and changing its settings: key verification, add, test,
// settings, replace key, disconnect and reconnect. Each one calls an application service.
import type { ClientDetail, KeyVerification } from '../../../shared/contract/index.js';
import {
  addClient,
  ASHBY_BASE_URL,
  disconnectClient,
  getClientOverview,
  reconnectClient,
  replaceKey,
  testClient,
  updateClientSettings,
  verifyApiKey,
  type ClientOverview,
  type KeyVerification as ServiceVerification,
} from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

/** Converts the services' client overview to the contract's client detail. */
export function toClientDetail(client: ClientOverview): ClientDetail {
  return {
    id: client.id,
    name: client.name,
    status: client.status,
    statusReason: client.statusReason,
    counts: {
      pending: client.counts.pending,
      review: client.counts.waitingReview,
      failed: client.counts.failed,
      needsAttention: client.counts.needsAttention,
    },
    lastPushAt: client.lastPushAt,
    isSandbox: client.isSandbox,
    baseUrl: client.baseUrl,
    enabledEvents: client.enabledEvents,
    sourceId: client.sourceId,
    sourceTitle: client.sourceTitle,
    archiveReasonId: client.archiveReasonId,
    archiveReasonText: client.archiveReasonText,
    reviewBeforePush: client.reviewBeforePush,
    keyTitle: client.keyTitle,
    disconnectedByUser: client.disconnectedByUser,
  };
}

/** Keeps the checklist and the message; the key's scopes stay in the core. */
export function toVerification(verification: ServiceVerification): KeyVerification {
  return {
    ok: verification.ok,
    problem: verification.problem,
    message: verification.message,
    keyTitle: verification.keyTitle,
    checklist: verification.checklist,
    missingByEvent: verification.missingByEvent,
  };
}

type ClientSettingsChannels =
  | 'clients:get'
  | 'clients:verifyKey'
  | 'clients:add'
  | 'clients:test'
  | 'clients:updateSettings'
  | 'clients:replaceKey'
  | 'clients:disconnect'
  | 'clients:reconnect';

export const clientSettingsHandlers = {
  'clients:get': ({ clientId }, { services }) => toClientDetail(getClientOverview(services, clientId)),

  'clients:verifyKey': async ({ baseUrl, apiKey, events }, { services }) =>
    toVerification(
      await verifyApiKey(services, { baseUrl: baseUrl ?? ASHBY_BASE_URL, apiKey, events }),
    ),

  'clients:add': async ({ name, baseUrl, apiKey, events }, { services }) => {
    const added = await addClient(services, {
      name,
      apiKey,
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(events === undefined ? {} : { events }),
    });
    return { client: toClientDetail(added.client), verification: toVerification(added.verification) };
  },

  'clients:test': async ({ clientId }, { services }) =>
    toVerification(await testClient(services, clientId)),

  'clients:updateSettings': async ({ clientId, ...change }, { services }) => {
    const { client } = await updateClientSettings(services, clientId, {
      ...(change.events === undefined ? {} : { events: change.events }),
      ...(change.sourceId === undefined ? {} : { sourceId: change.sourceId }),
      ...(change.archiveReasonId === undefined ? {} : { archiveReasonId: change.archiveReasonId }),
      ...(change.reviewBeforePush === undefined ? {} : { reviewBeforePush: change.reviewBeforePush }),
    });
    return toClientDetail(client);
  },

  'clients:replaceKey': async ({ clientId, apiKey }, { services }) => {
    const replaced = await replaceKey(services, clientId, apiKey);
    return { client: toClientDetail(replaced.client), verification: toVerification(replaced.verification) };
  },

  'clients:disconnect': ({ clientId }, { services }) => {
    const { client, paused } = disconnectClient(services, clientId);
    return { client: toClientDetail(client), paused };
  },

  'clients:reconnect': async ({ clientId }, { services }) => {
    const { client, test } = await reconnectClient(services, clientId);
    return { client: toClientDetail(client), ok: test.ok, message: test.message };
  },
} satisfies Pick<HandlerMap, ClientSettingsChannels>;
