// Decides whether the keychain tests can run here. They need a reachable, unlocked Secret Service;
// without one they fail when ASHBY_SYNC_REQUIRE_KEYCHAIN or CI is set, and are skipped otherwise.
import { KeytarSecretStore } from '../../../core/secrets/secret-store.js';

/** Service name for test entries, so tests never read or overwrite a developer's real keys. */
export const TEST_SERVICE = 'ashby-sync-console-test';

export const HOW_TO_RUN_KEYCHAIN_TESTS =
  'Keychain tests need a running, unlocked Secret Service. `npm test` sets one up; to run them ' +
  "alone use: dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock " +
  "--components=secrets >/dev/null; npx vitest run tests/unit/secrets'";

export function isKeychainRequired(env: Record<string, string | undefined> = process.env): boolean {
  const set = (name: string) => (env[name] ?? '') !== '';
  return set('ASHBY_SYNC_REQUIRE_KEYCHAIN') || set('CI');
}

/** Stores, reads and deletes a probe entry; returns null when that works, or the error message. */
export async function probeKeychain(): Promise<string | null> {
  const store = new KeytarSecretStore({ service: TEST_SERVICE, timeoutMs: 10_000 });
  const account = `probe:${process.pid}`;
  try {
    await store.set(account, 'probe-value-not-secret');
    const value = await store.get(account);
    await store.delete(account);
    return value === 'probe-value-not-secret' ? null : `probe read back ${JSON.stringify(value)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
