// How each error code is shown: a title, the server's message as the body, and one action.
// A Record over every code, so adding a code to shared/errors.ts without a presentation here is a
// type error. Every screen shows errors through ErrorAlert, which reads this table.
import type { ErrorCode, ErrorPayload } from '../../shared/errors.js';

/**
 * `reconnect` and `open_settings` open the client's settings (where the key is replaced, the
 * client reconnected, or the source and archive reason chosen).
 */
export type ErrorAction = 'retry' | 'reload' | 'reconnect' | 'open_settings' | 'none';

export interface ErrorPresentation {
  title: string;
  action: ErrorAction;
}

export const ERROR_PRESENTATION: Record<ErrorCode, ErrorPresentation> = {
  invalid_input: { title: 'The request was not valid', action: 'none' },
  not_found: { title: 'Not found', action: 'reload' },
  conflict: { title: 'Conflicting change', action: 'none' },
  store_unavailable: { title: 'The local database could not be opened', action: 'none' },
  store_too_new: { title: 'The database belongs to a newer version', action: 'none' },
  secret_store_unavailable: { title: 'No keychain available', action: 'none' },
  ashby_auth: { title: 'Ashby rejected the API key', action: 'reconnect' },
  ashby_permission: { title: 'The API key is missing a permission', action: 'reconnect' },
  ashby_rate_limited: { title: 'Ashby is rate limiting requests', action: 'retry' },
  ashby_unreachable: { title: 'Ashby cannot be reached', action: 'retry' },
  ashby_error: { title: 'Ashby returned an error', action: 'retry' },
  validation_failed: { title: 'Some values need fixing', action: 'open_settings' },
  forbidden: { title: 'Not allowed', action: 'none' },
  busy: { title: 'Busy with another task', action: 'retry' },
  host_unreachable: { title: 'Lost the connection to the console', action: 'reload' },
  internal: { title: 'Something went wrong', action: 'reload' },
};

/** Button text of each action. */
export const ACTION_LABELS: Record<Exclude<ErrorAction, 'none'>, string> = {
  retry: 'Retry',
  reload: 'Reload',
  reconnect: 'Reconnect',
  open_settings: 'Open client settings',
};

/**
 * Item reasons from the engine that name a setting get the settings action, so "choose an
 * archive reason for Acme" offers "Set archive reason".
 */
export function actionForReason(reason: string | null): { label: string; action: ErrorAction } | null {
  if (reason === null) return null;
  if (/archive reason/i.test(reason)) return { label: 'Set archive reason', action: 'open_settings' };
  if (/key (was )?rejected|disconnected/i.test(reason)) return { label: 'Reconnect', action: 'reconnect' };
  if (/permission/i.test(reason)) return { label: 'Reconnect', action: 'reconnect' };
  return null;
}

export function presentError(error: ErrorPayload): ErrorPresentation & { message: string } {
  const presentation = ERROR_PRESENTATION[error.code];
  if (error.code === 'validation_failed' && !/archive reason|source/i.test(error.message)) {
    return { ...presentation, action: 'none', message: error.message };
  }
  return { ...presentation, message: error.message };
}
