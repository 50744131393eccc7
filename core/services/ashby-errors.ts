// Turns an Ashby client error into the AppError every face shows, with a message that names the
// client and the fix.
import { AppError } from '../../shared/errors.js';
import { isAshbyError } from '../ashby/index.js';

/** Converts an Ashby (or network) failure of `what` for client `label` into an AppError. */
export function toServiceError(error: unknown, what: string, label: string): AppError {
  if (error instanceof AppError) return error;
  if (!isAshbyError(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new AppError('ashby_error', `${what} failed for ${label}: ${detail}`, { cause: error });
  }
  const details = { ashbyCode: error.code, endpoint: error.endpoint, requestId: error.requestId ?? null };
  switch (error.kind) {
    case 'auth':
      return new AppError(
        'ashby_auth',
        error.situation === 'missing_key'
          ? `Ashby received no API key for ${label} (${what}). Paste the key again.`
          : `Ashby rejected the API key for ${label} (HTTP ${error.status ?? 403}): the key is mistyped, revoked or disabled. ` +
              'Create a new key in Ashby and replace it.',
        { details, cause: error },
      );
    case 'permission':
      return new AppError(
        'ashby_permission',
        `The API key for ${label} lacks the ${error.permission ?? 'required'} permission (${error.endpoint}). ` +
          'Grant it to the key in Ashby, then test the connection again.',
        { details: { ...details, permission: error.permission ?? null }, cause: error },
      );
    case 'transient':
    case 'outcome_unknown':
      return new AppError(
        'ashby_unreachable',
        `${error.message}. Check the base URL and the network connection, then try again.`,
        { details, cause: error },
      );
    case 'rate_limit':
      return new AppError('ashby_rate_limited', `${error.message}. Wait a minute and try again.`, { details, cause: error });
    default:
      return new AppError('ashby_error', `${what} failed for ${label}: ${error.message}`, { details, cause: error });
  }
}
