// Everything a handler needs, opened once per process by Electron main or the browser host: the
// application services (data folder, SQLite store, keychain, sync engine), the logger and the
// push-event emitter. The engine's events are forwarded to the contract's push events here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Transport } from '../../shared/contract/index.js';
import { AppError, hasErrorCode, type ErrorPayload } from '../../shared/errors.js';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { openServices, resumeDemo, type DemoHandle, type Services } from '../services/index.js';
import type { SqliteDatabase } from '../store/db.js';
import { forwardEngineEvents } from './engine-events.js';
import { createAppEvents, type AppEvents } from './events.js';
import { createLogger } from '../log/logger.js';

/** Name of the SQLite file inside the data folder. */
export const DATABASE_FILE_NAME = 'console.sqlite';

export interface AppContextOptions {
  /** Absolute data folder; created when missing. */
  dataDir: string;
  /** Environment the secret store reads (`ASHBY_SYNC_SECRET_STORE`). */
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  transport: Transport;
  /** Write JSON-lines logs under `<dataDir>/logs`. Default true; tests that share a process pass false. */
  fileLogging?: boolean;
  /** Start the sync engine in this process. Default true. */
  runEngine?: boolean;
  /** Start the demo sandbox again when a demo was started in an earlier session. Default true. */
  resumeDemo?: boolean;
}

export interface AppContext {
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly db: SqliteDatabase;
  readonly secrets: SecretStore;
  readonly logger: Logger;
  readonly events: AppEvents;
  readonly services: Services;
  /** The in-process demo sandbox, while one runs. */
  demo: DemoHandle | null;
  /** Stops the engine and the demo sandbox, closes the store and flushes the log; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the data folder and everything in it, and starts the sync engine. Throws an AppError (or
 * a store error) with a code the UI can show on its error screen: `store_too_new`,
 * `store_unavailable` or `secret_store_unavailable`. Nothing is left open when it throws.
 */
export async function createAppContext(options: AppContextOptions): Promise<AppContext> {
  const dataDir = path.resolve(options.dataDir);
  const clock = options.clock ?? systemClock;

  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new AppError(
      'store_unavailable',
      `Could not create the data folder ${dataDir}: ${(error as Error).message}. ` +
        'Choose a writable folder with --data-dir or ASHBY_SYNC_DATA_DIR.',
      { cause: error },
    );
  }
  const services = await openServices({
    dataDir,
    env: options.env,
    clock,
    runEngine: options.runEngine ?? true,
    ...(options.fileLogging === undefined ? {} : { fileLogging: options.fileLogging }),
    actor: 'admin',
  });
  const logger = createLogger('app');
  try {
    await checkKeychainForRealClients(services);
  } catch (error) {
    await services.close();
    throw error;
  }
  const events = createAppEvents(createLogger('ipc'));
  const stopForwarding = forwardEngineEvents(services, events);

  const context: AppContext = {
    dataDir,
    databaseFile: path.join(dataDir, DATABASE_FILE_NAME),
    transport: options.transport,
    clock,
    db: services.db,
    secrets: services.secrets,
    logger,
    events,
    services,
    demo: null,
    async close() {
      stopForwarding();
      context.demo = null;
      await services.close();
    },
  };

  if (options.resumeDemo ?? true) {
    try {
      context.demo = await resumeDemo(services);
    } catch (error) {
      // The console works without the demo; the dashboard offers to start it again.
      logger.error({ err: error }, 'could not start the demo sandbox again');
    }
  }
  logger.info({ dataDir, transport: options.transport, secretStore: services.secrets.kind }, 'opened the console');
  return context;
}

/**
 * Reads one real client's key when any real client exists, so an unreachable keychain shows the
 * error screen at start instead of every push failing later. Sandbox clients keep their keys in
 * the database, so a console with only demo clients starts without a keychain.
 */
async function checkKeychainForRealClients(services: Services): Promise<void> {
  const real = services.db.prepare('SELECT id FROM clients WHERE is_sandbox = 0 ORDER BY id LIMIT 1').get() as
    | { id: number }
    | undefined;
  if (real === undefined) return;
  await services.credentials(real.id);
}

/** Converts a failure of createAppContext into the error the UI shows on its error screen. */
export function toStartupError(error: unknown): ErrorPayload {
  if (hasErrorCode(error)) {
    const details = (error as { details?: unknown }).details;
    return details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details };
  }
  return {
    code: 'internal',
    message: `The console could not start: ${error instanceof Error ? error.message : String(error)}`,
  };
}
