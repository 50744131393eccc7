// The result envelope every contract call returns. Errors travel as data, so they survive
// structured cloning over Electron IPC and JSON over the browser host's WebSocket.
import { z } from 'zod';
import { ErrorPayload, type ErrorCode } from './errors.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } };
}

/** Builds the zod schema of `Result<T>` for a value schema, for transports that parse replies. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorPayload }),
  ]);
}
