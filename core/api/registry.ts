// The one place where contract calls meet their handlers. Electron main and the browser host both
// hand every request to `dispatch`, which validates the input against the channel's schema, runs
// the handler, validates the output, and always resolves to a result envelope: a renderer never
// receives an exception, a stack trace or a field the contract does not declare.
import type { z } from 'zod';
import {
  channels,
  CHANNEL_NAMES,
  isChannel,
  type Channel,
  type InputOf,
  type OutputOf,
} from '../../shared/contract/index.js';
import { hasErrorCode, type ErrorPayload } from '../../shared/errors.js';
import { err, ok, type Result } from '../../shared/result.js';
import type { AppContext } from '../app/context.js';

export type Handler<C extends Channel> = (
  input: InputOf<C>,
  context: AppContext,
) => OutputOf<C> | Promise<OutputOf<C>>;

/** One handler per contract channel; a channel without a handler is a compile error. */
export type HandlerMap = { [C in Channel]: Handler<C> };

export interface RegistryLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface ApiRegistry {
  /** Every channel the registry handles, in contract order. */
  readonly channels: readonly Channel[];
  /** Runs one call. Never rejects: every failure comes back as `{ ok: false, error }`. */
  dispatch(channel: string, input: unknown): Promise<Result<unknown>>;
}

export type RegistryTarget =
  | { context: AppContext; handlers: HandlerMap }
  /** The context could not be opened: every valid call returns this error, so the UI can show it. */
  | { startupError: ErrorPayload };

/**
 * Creates the registry for a context and its handlers, or for a startup failure. Input is
 * validated first in both cases, so a malformed payload always gets `invalid_input`.
 */
export function createApiRegistry(target: RegistryTarget, logger: RegistryLogger): ApiRegistry {
  async function dispatch(channel: string, input: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return err('not_found', `Unknown channel "${channel}".`);
    }

    const spec = channels[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      logger.warn({ channel, issues: issueSummary(parsed.error) }, 'rejected invalid input');
      const summary = issueSummary(parsed.error)
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join('; ');
      return err('invalid_input', `Invalid input for ${channel}: ${summary}.`, parsed.error.issues);
    }

    if ('startupError' in target) {
      return { ok: false, error: target.startupError };
    }

    const started = performance.now();
    try {
      const handler = target.handlers[channel] as Handler<Channel>;
      const value = await handler(parsed.data as InputOf<Channel>, target.context);
      return checkOutput(channel, spec.output, value);
    } catch (error) {
      return toErrorResult(channel, error);
    } finally {
      logger.debug({ channel, ms: Math.round(performance.now() - started) }, 'handled call');
    }
  }

  function checkOutput(channel: Channel, schema: z.ZodType, value: unknown): Result<unknown> {
    // Parsing also strips fields the contract does not declare, so a handler that returns a row
    // with extra columns cannot leak them to the renderer.
    const parsed = schema.safeParse(value);
    if (parsed.success) return ok(parsed.data);
    logger.error(
      { channel, issues: issueSummary(parsed.error) },
      'handler output does not match the contract',
    );
    return err(
      'internal',
      `The console produced an invalid reply for ${channel}. The details are in the log.`,
    );
  }

  function toErrorResult(channel: Channel, error: unknown): Result<unknown> {
    if (hasErrorCode(error)) {
      const details = (error as { details?: unknown }).details;
      logger.warn({ channel, code: error.code, reason: error.message }, 'call failed');
      return err(error.code, error.message, details);
    }
    // The input payload is not logged: it may carry an API key being saved.
    logger.error({ channel, err: error }, 'unexpected error in handler');
    return err(
      'internal',
      `Unexpected error while handling ${channel}. The details are in the log.`,
    );
  }

  return { channels: CHANNEL_NAMES, dispatch };
}

/** Issue paths and messages only: received values are left out because they may be secrets. */
function issueSummary(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
