// The one IPC contract. Each domain module exports a map of `domain:verb` channels with zod input
// and output schemas; this file merges them. Electron main, the preload, the browser host and the
// renderer all derive their channel lists from `channels` and `events`, so a channel name is
// written only in its domain module.
//
// To add a domain: create `shared/contract/<domain>.ts` exporting `<domain>Channels`, spread it
// into `channels` below, and register its handlers in `core/api/handlers/index.ts`.
import type { z } from 'zod';
import type { Result } from '../result.js';
import { appChannels } from './app.js';
import { appUpdatesChannels } from './app-updates.js';
import { auditChannels } from './audit.js';
import { ashbyChannels } from './ashby.js';
import { clientsChannels } from './clients.js';
import { demoChannels } from './demo.js';
import { importChannels } from './import.js';
import { pipelineChannels } from './pipeline.js';
import { pushChannels } from './push.js';
import { reviewChannels } from './review.js';
import { rolesChannels } from './roles.js';
import { tasksChannels } from './tasks.js';
import type { EventName, EventPayload } from './events.js';

export const channels = {
  ...appChannels,
  ...clientsChannels,
  ...ashbyChannels,
  ...rolesChannels,
  ...pipelineChannels,
  ...pushChannels,
  ...tasksChannels,
  ...importChannels,
  ...demoChannels,
  ...appUpdatesChannels,
  ...reviewChannels,
  ...auditChannels,
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type InputOf<C extends Channel> = z.infer<Channels[C]['input']>;
export type OutputOf<C extends Channel> = z.infer<Channels[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

/** Splits `domain:verb` into its two halves. */
export function splitChannel(channel: string): { domain: string; verb: string } {
  const separator = channel.indexOf(':');
  return { domain: channel.slice(0, separator), verb: channel.slice(separator + 1) };
}

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never;
export type Domain = DomainOf<Channel>;

/** Channels that take no fields can be called with no argument. */
type CallArgs<C extends Channel> =
  Record<never, never> extends InputOf<C> ? [input?: InputOf<C>] : [input: InputOf<C>];

export type ChannelFunction<C extends Channel> = (
  ...args: CallArgs<C>
) => Promise<Result<OutputOf<C>>>;

/**
 * The typed API the renderer uses: `api.clients.list()` calls `clients:list`. The preload builds
 * it over Electron IPC and the renderer's WebSocket transport builds the same shape.
 */
export type ContractApi = {
  [D in Domain]: {
    [C in Channel as C extends `${D}:${infer V}` ? V : never]: ChannelFunction<C>;
  };
};

/**
 * Builds a ContractApi object whose functions all go through `invoke`. Used by the preload and
 * by the browser transport so both expose exactly the channels in the contract.
 */
export function buildContractApi(
  invoke: (channel: Channel, input: unknown) => Promise<Result<unknown>>,
): ContractApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of CHANNEL_NAMES) {
    const { domain, verb } = splitChannel(channel);
    const functions = (api[domain] ??= {});
    functions[verb] = (input?: unknown) => invoke(channel, input ?? {});
  }
  return api as unknown as ContractApi;
}

export * from './app.js';
export * from './clients.js';
export * from './events.js';
export * from './ashby.js';
export * from './roles.js';
export * from './pipeline.js';
export * from './push.js';
export * from './tasks.js';
export * from './import.js';
export * from './demo.js';
export * from './app-updates.js';
export * from './review.js';
export * from './audit.js';
export type { ChannelSpec, ChannelMap, EventMap } from './define.js';
export type { Result } from '../result.js';
export { ErrorCode, ERROR_CODES, ErrorPayload, AppError } from '../errors.js';

/**
 * Type of `window.ashbySync` in Electron: every contract domain (`ashbySync.clients.list()`)
 * plus `subscribe` for push events.
 */
export type AshbySyncBridge = ContractApi & {
  /** Calls `listener` for each push event `name`; returns a function that unsubscribes. */
  subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
};
