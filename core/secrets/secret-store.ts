// API keys of client tenants, kept in the OS keychain through keytar (the Secret Service on Linux,
// Keychain on macOS, Credential Vault on Windows). There is no file fallback: when no keychain is
// reachable the operation fails with SecretStoreUnavailableError and the key is not written.
import { createLogger, registerSecret, type Logger } from '../log/logger.js';

export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Returns false when no secret was stored for the account. */
  delete(account: string): Promise<boolean>;
}

/** Keychain service name under which every client's key is stored. */
export const KEYCHAIN_SERVICE = 'ashby-sync-console';

/** Environment variable that selects the in-memory store (`memory`) for tests and throwaway demos. */
export const SECRET_STORE_ENV = 'ASHBY_SYNC_SECRET_STORE';

/** Milliseconds a keychain call may take before it counts as unavailable (a hung D-Bus call). */
export const KEYCHAIN_TIMEOUT_MS = 15_000;

/** Returns the keychain account name of a client's API key. */
export function clientAccount(clientId: number): string {
  return `client:${clientId}`;
}

export const NO_SECRET_SERVICE_FIX = 'no Secret Service running: install and unlock gnome-keyring or KWallet';

export type SecretStoreUnavailableReason =
  | 'no_secret_service'
  | 'keyring_locked'
  | 'keytar_missing'
  | 'timed_out'
  | 'keychain_error';

/** The OS keychain cannot be used; `message` names the cause and the fix. */
export class SecretStoreUnavailableError extends Error {
  readonly code = 'secret_store_unavailable' as const;
  readonly reason: SecretStoreUnavailableReason;

  constructor(reason: SecretStoreUnavailableReason, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SecretStoreUnavailableError';
    this.reason = reason;
  }

  get details(): { reason: SecretStoreUnavailableReason } {
    return { reason: this.reason };
  }
}

// Messages libsecret and D-Bus give when no Secret Service can be reached (seen with keytar 7.9
// on Debian: no DBUS_SESSION_BUS_ADDRESS, a bus address pointing at no socket, no keyring daemon).
const NO_SERVICE_PATTERNS = [
  /Cannot autolaunch D-Bus/i,
  /Could not connect/i,
  /org\.freedesktop\.secrets was not provided/i,
  /ServiceUnknown/i,
  /DBUS_SESSION_BUS_ADDRESS/i,
  /Failed to connect to socket/i,
];
const LOCKED_PATTERNS = [/locked collection/i, /Cannot unlock/i, /prompt.*dismissed/i];

/** Maps an error thrown by keytar to SecretStoreUnavailableError with the cause and the fix. */
export function toUnavailableError(error: unknown): SecretStoreUnavailableError {
  const detail = error instanceof Error ? error.message : String(error);
  if (NO_SERVICE_PATTERNS.some((pattern) => pattern.test(detail))) {
    return new SecretStoreUnavailableError(
      'no_secret_service',
      `The OS keychain is not reachable: ${NO_SECRET_SERVICE_FIX}. The key was not stored anywhere else. (keytar: ${detail})`,
      error,
    );
  }
  if (LOCKED_PATTERNS.some((pattern) => pattern.test(detail))) {
    return new SecretStoreUnavailableError(
      'keyring_locked',
      'The OS keychain is locked: unlock gnome-keyring or KWallet (the login keyring) and try again. ' +
        `The key was not stored anywhere else. (keytar: ${detail})`,
      error,
    );
  }
  return new SecretStoreUnavailableError(
    'keychain_error',
    `The OS keychain rejected the request: ${detail}. The key was not stored anywhere else. ` +
      `If this persists, check that a Secret Service is running (${NO_SECRET_SERVICE_FIX}).`,
    error,
  );
}

interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

async function loadKeytar(): Promise<KeytarApi> {
  try {
    const module = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
    return module.default ?? module;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SecretStoreUnavailableError(
      'keytar_missing',
      `The keytar native module could not be loaded (${detail}). Run \`npm ci\` with libsecret-1-dev ` +
        'installed so that keytar is built for this Node or Electron version.',
      error,
    );
  }
}

function withTimeout<T>(promise: Promise<T>, operation: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new SecretStoreUnavailableError(
          'timed_out',
          `The OS keychain did not answer ${operation} within ${timeoutMs} ms: ${NO_SECRET_SERVICE_FIX}, ` +
            'and check that no unlock prompt is waiting.',
        ),
      );
    }, timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface KeytarSecretStoreOptions {
  /** Keychain service name. Default KEYCHAIN_SERVICE; tests use their own so they never touch real keys. */
  service?: string;
  logger?: Logger;
  timeoutMs?: number;
}

/** Secret store backed by the OS keychain. keytar is loaded on first use, so a missing native module is a clear error. */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  readonly service: string;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private keytar: Promise<KeytarApi> | null = null;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.logger = options.logger ?? createLogger('app');
    this.timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  }

  private async call<T>(operation: string, account: string, run: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    if (!this.keytar) {
      this.keytar = loadKeytar();
      // A failed load is retried on the next call, for example after the module was rebuilt.
      this.keytar.catch(() => {
        this.keytar = null;
      });
    }
    try {
      const keytar = await this.keytar;
      return await withTimeout(run(keytar), operation, this.timeoutMs);
    } catch (error) {
      const mapped = error instanceof SecretStoreUnavailableError ? error : toUnavailableError(error);
      this.logger.error({ account, operation, reason: mapped.reason, err: mapped }, 'keychain call failed');
      throw mapped;
    }
  }

  async get(account: string): Promise<string | null> {
    const secret = await this.call('get', account, (keytar) => keytar.getPassword(this.service, account));
    // A key read back after a restart is scrubbed from logs just like one set in this process.
    if (secret !== null) registerSecret(secret);
    return secret;
  }

  async set(account: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new TypeError(`Refusing to store an empty secret for ${account}.`);
    registerSecret(secret);
    await this.call('set', account, (keytar) => keytar.setPassword(this.service, account, secret));
    this.logger.info({ account }, 'stored key in the OS keychain');
  }

  async delete(account: string): Promise<boolean> {
    const deleted = await this.call('delete', account, (keytar) => keytar.deletePassword(this.service, account));
    this.logger.info({ account, deleted }, 'deleted key from the OS keychain');
    return deleted;
  }
}

let memoryWarningLogged = false;

/**
 * Secret store that keeps keys in this process's memory only, for tests and throwaway demos.
 * Selected only by ASHBY_SYNC_SECRET_STORE=memory; the first instance logs a warning.
 */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly secrets = new Map<string, string>();

  constructor(options: { logger?: Logger } = {}) {
    if (!memoryWarningLogged) {
      memoryWarningLogged = true;
      (options.logger ?? createLogger('app')).warn(
        { [SECRET_STORE_ENV]: 'memory' },
        'API keys are kept in memory for this process only and are lost when it exits; ' +
          `unset ${SECRET_STORE_ENV} to use the OS keychain`,
      );
    }
  }

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new TypeError(`Refusing to store an empty secret for ${account}.`);
    registerSecret(secret);
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }
}

/**
 * Creates the secret store selected by the environment: the OS keychain unless
 * ASHBY_SYNC_SECRET_STORE is `memory`. Throws for any other value, so a typo never silently
 * changes where keys go.
 */
export function createSecretStore(
  env: Record<string, string | undefined> = process.env,
  options: KeytarSecretStoreOptions = {},
): SecretStore {
  const selected = env[SECRET_STORE_ENV]?.trim() ?? '';
  if (selected === 'memory') return new MemorySecretStore({ logger: options.logger });
  if (selected === '' || selected === 'keychain') return new KeytarSecretStore(options);
  throw new Error(`${SECRET_STORE_ENV} must be "memory" or "keychain" (or unset), got "${selected}".`);
}
