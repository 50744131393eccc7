// Frames of the browser host's WebSocket. Electron needs none of this: IPC carries the channel
// and payload itself. Both ends parse frames with these schemas.
import { z } from 'zod';
import { ErrorPayload } from '../errors.js';

/** Path of the WebSocket endpoint on the browser host. */
export const WEBSOCKET_PATH = '/ws';

/** Query parameter that carries the per-start access token. */
export const TOKEN_PARAMETER = 'token';

export const RequestFrame = z.strictObject({
  type: z.literal('request'),
  /** Chosen by the client, echoed in the reply. */
  id: z.number().int().nonnegative(),
  channel: z.string(),
  input: z.unknown(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

const ResultPayload = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorPayload }),
]);

export const ServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    /** Null when the request frame itself could not be read. */
    id: z.number().int().nonnegative().nullable(),
    result: ResultPayload,
  }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
