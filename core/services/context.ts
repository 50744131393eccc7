// Opens everything the application services need for one data folder: the SQLite store, the
// secret store, the logger and the sync engine. Electron main, the browser host and the CLI each
// open one of these per process and call the service functions with it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createAshbyClient, RateLimiterRegistry, type AshbyClient } from '../ashby/index.js';
import { systemClock, type Clock } from '../clock.js';
import {
  createSyncEngine,
  type AshbyConnection,
  type SyncEngine,
  type SyncEngineLimits,
} from '../engine/engine.js';
import { lockHolder, type LockHolder } from '../engine/lock.js';
import { closeLogging, createLogger, initLogging, type Logger } from '../log/logger.js';
import { clientAccount, createSecretStore, type SecretStore } from '../secrets/secret-store.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../store/db.js';
import { watchInterruptedImports } from '../pipeline/journal.js';
import { startAuditIndexer } from '../audit/message-index.js';
import { getClient } from '../store/repo/clients.js';
import { AppError } from '../../shared/errors.js';

/** Name of the SQLite file inside the data folder (the same file the desktop app opens). */
export const DATABASE_FILE_NAME = 'console.sqlite';
/** Folder inside the data folder where imported resumes are stored as `<sha256>` files. */
export const RESUMES_FOLDER_NAME = 'resumes';

/**
 * Environment variable naming another keychain service, so tests with the real keychain never
 * read or overwrite the keys a real console stored under the default service.
 */
export const KEYCHAIN_SERVICE_ENV = 'ASHBY_SYNC_KEYCHAIN_SERVICE';

/** Per-attempt timeout of calls a person waits on, in milliseconds. */
export const QUICK_TIMEOUT_MS = 15_000;

export interface OpenServicesOptions {
  /** Data folder; created when missing. */
  dataDir: string;
  /** Environment the secret store reads (`ASHBY_SYNC_SECRET_STORE`). */
  env: Record<string, string | undefined>;
  clock?: Clock;
  /**
   * Start the sync engine. A process that only queues work (a CLI command while the desktop app
   * runs) passes false. The engine object still exists, so linking and pushing enqueue as usual.
   */
  runEngine: boolean;
  /** Write JSON-lines logs under `<dataDir>/logs`. Default true; tests sharing a process pass false. */
  fileLogging?: boolean;
  engineLimits?: Partial<SyncEngineLimits>;
  /** Actor recorded in audit entries the services write (`admin` for the UI, `cli` for the CLI). */
  actor?: string;
}

export interface Services {
  readonly dataDir: string;
  readonly resumeDir: string;
  readonly db: SqliteDatabase;
  readonly secrets: SecretStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly engine: SyncEngine;
  readonly actor: string;
  /** One registry per process, so a partner-scope 429 slows every call this process makes. */
  readonly limiter: RateLimiterRegistry;
  /** Returns the stored key and base URL of a client, or null when no key is stored. */
  credentials(clientId: number): Promise<AshbyConnection | null>;
  /**
   * Creates an Ashby client for one key, sharing this process's rate limiters. `quick` shortens
   * timeouts and retries for calls a person waits on (verifying a key, filling a dropdown).
   */
  ashbyClient(connection: AshbyConnection & { label: string; quick?: boolean }): AshbyClient;
  /** The process holding the engine lock of this data folder, or undefined when none does. */
  engineLockHolder(): LockHolder | undefined;
  /** Runs `hook` first when the services close (the demo sandbox registers its shutdown here). */
  onClose(hook: () => Promise<void>): void;
  /** Stops the engine, closes the store and flushes the log; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the data folder and starts the engine when `runEngine` is true. Throws an AppError
 * (`store_unavailable`, `secret_store_unavailable`) or the store's own error when the folder,
 * the database or the secret store cannot be used. Nothing is left open when it throws.
 */
export async function openServices(options: OpenServicesOptions): Promise<Services> {
  const dataDir = path.resolve(options.dataDir);
  const clock = options.clock ?? systemClock;
  const fileLogging = options.fileLogging ?? true;
  const resumeDir = path.join(dataDir, RESUMES_FOLDER_NAME);
  try {
    mkdirSync(resumeDir, { recursive: true });
  } catch (error) {
    throw new AppError(
      'store_unavailable',
      `Could not create the data folder ${dataDir}: ${(error as Error).message}. ` +
        'Choose a writable folder with --data-dir or ASHBY_SYNC_DATA_DIR.',
      { cause: error },
    );
  }
  if (fileLogging) initLogging({ dataDir });
  const logger = createLogger('app');

  let secrets: SecretStore;
  let db: SqliteDatabase;
  try {
    const service = options.env[KEYCHAIN_SERVICE_ENV]?.trim();
    secrets = createSecretStore(options.env, service ? { service } : {});
    db = openDatabase({
      file: path.join(dataDir, DATABASE_FILE_NAME),
      clock,
      logger: createLogger('store'),
      // The UI and the engine share this process's event loop; checkpoints run beside it.
      checkpoints: 'background',
    });
  } catch (error) {
    if (fileLogging) await closeLogging();
    if (error instanceof Error && !(error instanceof AppError) && !('code' in error)) {
      throw new AppError('secret_store_unavailable', error.message, { cause: error });
    }
    throw error;
  }

  const limiter = new RateLimiterRegistry({ clock });
  const credentials = async (clientId: number): Promise<AshbyConnection | null> => {
    const client = getClient(db, clientId);
    if (client === null) return null;
    if (client.isSandbox) {
      return client.sandboxApiKey === null
        ? null
        : { baseUrl: client.baseUrl, apiKey: client.sandboxApiKey };
    }
    const apiKey = await secrets.get(clientAccount(clientId));
    return apiKey === null ? null : { baseUrl: client.baseUrl, apiKey };
  };

  const engine = createSyncEngine({
    db,
    clock,
    logger: createLogger('sync'),
    credentials,
    resumeDir,
    limiter,
    ...(options.engineLimits === undefined ? {} : { limits: options.engineLimits }),
  });
  if (options.runEngine) await engine.start();

  const closeHooks: (() => Promise<void>)[] = [];
  // An import that a stopped process had committed is finished in the background (journal.ts).
  const interruptedImports = watchInterruptedImports(db, clock, createLogger('import'));
  closeHooks.push(() => interruptedImports.stop());
  const auditIndexer = startAuditIndexer(db, createLogger('audit'));
  closeHooks.push(() => auditIndexer.stop());
  let closed = false;
  const services: Services = {
    dataDir,
    resumeDir,
    db,
    secrets,
    logger,
    clock,
    engine,
    actor: options.actor ?? 'admin',
    limiter,
    credentials,
    ashbyClient: (connection) =>
      createAshbyClient({
        baseUrl: connection.baseUrl,
        apiKey: connection.apiKey,
        label: connection.label,
        limiter,
        clock,
        logger: createLogger('ashby'),
        ...(connection.quick === true
          ? { timeoutMs: QUICK_TIMEOUT_MS, retry: { maxAttempts: 2 } }
          : {}),
      }),
    engineLockHolder: () => lockHolder(db),
    onClose(hook) {
      closeHooks.push(hook);
    },
    async close() {
      if (closed) return;
      closed = true;
      await engine.stop();
      for (const hook of closeHooks.reverse()) {
        try {
          await hook();
        } catch (error) {
          logger.error({ err: error }, 'a close hook failed');
        }
      }
      closeDatabase(db);
      logger.info({ dataDir }, 'closed the services');
      if (fileLogging) await closeLogging();
    },
  };
  logger.info(
    {
      dataDir,
      runEngine: options.runEngine,
      processing: engine.processing,
      secretStore: secrets.kind,
    },
    'opened the services',
  );
  return services;
}
