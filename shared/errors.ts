// The one error model shared by the engine, the IPC registry, the browser host and the renderer.
// Every failure that crosses a process boundary carries one of these codes, so the renderer can
// map each code to a title, a plain message and one action.
import { z } from 'zod';

export const ERROR_CODES = [
  /** The request payload did not match the channel's input schema; `details` contains the zod issues. */
  'invalid_input',
  'not_found',
  'conflict',
  /** The SQLite file could not be opened or migrated. */
  'store_unavailable',
  /** The database was written by a newer version of the console; nothing was changed. */
  'store_too_new',
  /** No OS keychain (Secret Service, Keychain, Credential Vault) is reachable. */
  'secret_store_unavailable',
  'ashby_auth',
  'ashby_permission',
  'ashby_rate_limited',
  'ashby_unreachable',
  'ashby_error',
  'validation_failed',
  /** The caller may not make this call (an IPC message from a frame that is not the console). */
  'forbidden',
  /** Another task is using the resource, so the caller may retry later. */
  'busy',
  /** The renderer lost its connection to the browser host (the host stopped or restarted). */
  'host_unreachable',
  /** Anything unexpected; the message is generic and the details are in the log. */
  'internal',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

const errorCodeSet: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && errorCodeSet.has(value);
}

/** The error half of the result envelope, as it travels over IPC or the WebSocket. */
export const ErrorPayload = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/**
 * An error with a stable code. Handlers and core code throw it (or any error with a `code` from
 * ERROR_CODES); the API registry turns it into `{ ok: false, error }` for the caller.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options?: { details?: unknown; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Returns true for any thrown value that carries a known error code, whatever its class. */
export function hasErrorCode(error: unknown): error is Error & { code: ErrorCode } {
  return error instanceof Error && isErrorCode((error as Error & { code?: unknown }).code);
}
