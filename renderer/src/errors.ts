// How each error code is shown: a title, the server's message as the body, and one action.
// A Record over every code, so adding a code to shared/errors.ts without a presentation here is a
// type error.
import type { ErrorCode, ErrorPayload } from '../../shared/errors.js';

export type ErrorAction = 'retry' | 'reload' | 'reconnect' | 'none';

export interface ErrorPresentation {
  title: string;
  action: ErrorAction;
}

export const ERROR_PRESENTATION: Record<ErrorCode, ErrorPresentation> = {
  invalid_input: { title: 'The request was not valid', action: 'none' },
  not_found: { title: 'Not found', action: 'reload' },
  conflict: { title: 'Conflicting change', action: 'reload' },
  store_unavailable: { title: 'The local database could not be opened', action: 'none' },
  store_too_new: { title: 'The database belongs to a newer version', action: 'none' },
  secret_store_unavailable: { title: 'No keychain available', action: 'none' },
  ashby_auth: { title: 'Ashby rejected the API key', action: 'reconnect' },
  ashby_permission: { title: 'The API key is missing a permission', action: 'reconnect' },
  ashby_rate_limited: { title: 'Ashby is rate limiting requests', action: 'retry' },
  ashby_unreachable: { title: 'Ashby cannot be reached', action: 'retry' },
  ashby_error: { title: 'Ashby returned an error', action: 'retry' },
  validation_failed: { title: 'Some values need fixing', action: 'none' },
  forbidden: { title: 'Not allowed', action: 'none' },
  busy: { title: 'Busy with another task', action: 'retry' },
  host_unreachable: { title: 'Lost the connection to the console', action: 'reload' },
  internal: { title: 'Something went wrong', action: 'reload' },
};

export function presentError(error: ErrorPayload): ErrorPresentation & { message: string } {
  return { ...ERROR_PRESENTATION[error.code], message: error.message };
}
