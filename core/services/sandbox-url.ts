// The rule for sandbox clients: their API key is kept in the SQLite database instead of the OS
// keychain, which is only acceptable for the built-in sandbox running on this machine.
import { isIP } from 'node:net';
import { AppError } from '../../shared/errors.js';

/** Returns true when the URL's host is a loopback address: 127.0.0.0/8, `localhost` or `[::1]`. */
export function isLoopbackUrl(baseUrl: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname === 'localhost.') return true;
  if (hostname === '[::1]') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/**
 * Throws `validation_failed` unless the base URL points at a loopback host, so a real tenant's key
 * never ends up in the database as a sandbox key.
 */
export function requireLocalSandboxUrl(baseUrl: string): void {
  if (isLoopbackUrl(baseUrl)) return;
  throw new AppError(
    'validation_failed',
    `${baseUrl} is not a local sandbox. Sandbox keys are kept in the database, so only a sandbox on this machine ` +
      '(127.0.0.1, localhost or [::1]) may be added that way. Add a real tenant without --sandbox; its key then goes to the OS keychain.',
  );
}
