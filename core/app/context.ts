// Everything a handler needs, opened once per process by Electron main, the browser host or the
// CLI: the data folder, the SQLite store, the keychain, the logger and the push-event emitter.
// Later the engine is added here, started after the store and stopped first in close().
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Transport } from '../../shared/contract/index.js';
import { AppError, hasErrorCode, type ErrorPayload } from '../../shared/errors.js';
import { systemClock, type Clock } from '../clock.js';
import { closeLogging, createLogger, initLogging, type Logger } from '../log/logger.js';
import { createSecretStore, type SecretStore } from '../secrets/secret-store.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../store/db.js';
import { createAppEvents, type AppEvents } from './events.js';

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
  /** Closes the store and flushes the log; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the data folder and everything in it. Throws an AppError (or a store error) with a code
 * the UI can show on its error screen: `store_too_new`, `store_unavailable` or
 * `secret_store_unavailable`. Nothing is left open when it throws.
 */
export async function createAppContext(options: AppContextOptions): Promise<AppContext> {
  const dataDir = path.resolve(options.dataDir);
  const clock = options.clock ?? systemClock;
  const fileLogging = options.fileLogging ?? true;

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
  if (fileLogging) initLogging({ dataDir });
  const logger = createLogger('app');

  let secrets: SecretStore;
  try {
    secrets = createSecretStore(options.env);
  } catch (error) {
    if (fileLogging) await closeLogging();
    throw hasErrorCode(error)
      ? error
      : new AppError('secret_store_unavailable', (error as Error).message, { cause: error });
  }
  const databaseFile = path.join(dataDir, DATABASE_FILE_NAME);
  let db: SqliteDatabase;
  try {
    db = openDatabase({ file: databaseFile, clock, logger: createLogger('store') });
  } catch (error) {
    if (fileLogging) await closeLogging();
    throw error;
  }

  const events = createAppEvents(createLogger('ipc'));
  logger.info(
    { dataDir, transport: options.transport, secretStore: secrets.kind },
    'opened the console',
  );

  let closed = false;
  return {
    dataDir,
    databaseFile,
    transport: options.transport,
    clock,
    db,
    secrets,
    logger,
    events,
    async close() {
      if (closed) return;
      closed = true;
      closeDatabase(db);
      logger.info({ dataDir }, 'closed the console');
      if (fileLogging) await closeLogging();
    },
  };
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
