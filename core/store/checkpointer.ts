// Runs SQLite's WAL checkpoints in a worker thread, on a connection of its own.
//
// A checkpoint copies the pages written since the last one from the -wal file into the database
// and syncs both files to disk. By default SQLite runs it inside the commit that crosses 1,000
// pages, on the connection that commits. In the console that connection serves the UI and the
// engine from one event loop, which then stalls for tens of milliseconds at a time. Here the main
// connection stops checkpointing and a worker runs a passive checkpoint every few hundred
// milliseconds. In SQLite's PASSIVE mode a checkpoint waits for no other connection, and readers
// and writers go on while it runs.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../log/logger.js';

/** Milliseconds between two checkpoints of the worker. */
export const CHECKPOINT_INTERVAL_MS = 200;

/** SQLite's default `wal_autocheckpoint`, restored when the worker cannot run. */
const INLINE_CHECKPOINT_PAGES = 1000;

/** Maximum wait, when the database closes, for the worker to close its connection. */
const STOP_TIMEOUT_MS = 5000;

interface WorkerInput {
  driver: string;
  file: string;
  intervalMs: number;
  stopped: Int32Array;
}

// Plain JavaScript evaluated by the worker, so it needs no build step of its own. It loads the
// same better-sqlite3 as the main thread, by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  Atomics.store(workerData.stopped, 0, 1);
  Atomics.notify(workerData.stopped, 0);
  parentPort.close();
});
parentPort.postMessage({ kind: 'ready' });
`;

/** Path of better-sqlite3's entry point that a worker can load; the packaged app keeps it unpacked. */
function driverPath(): string {
  const resolved = createRequire(import.meta.url).resolve('better-sqlite3');
  return resolved.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

export interface Checkpointer {
  /**
   * Closes the worker's connection and waits for it (up to a few seconds), so the main
   * connection closes last and folds the -wal file into the database as it does without a worker.
   */
  stop(): void;
}

/**
 * Moves the checkpoints of `db` (a WAL-mode connection to `file`) to a worker thread. When the
 * worker cannot start or a checkpoint fails, the connection checkpoints inline again, as SQLite
 * does by default, and the reason is logged.
 */
export function startCheckpointer(
  db: Database.Database,
  file: string,
  logger: Logger,
): Checkpointer {
  const stopped = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = {
    driver: driverPath(),
    file,
    intervalMs: CHECKPOINT_INTERVAL_MS,
    stopped,
  };
  let running = true;
  const fallBack = (reason: string): void => {
    if (!running) return;
    running = false;
    logger.warn(
      { file, reason },
      'background checkpoints stopped; the database checkpoints on commit again',
    );
    if (db.open) db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
    void worker.terminate();
  };

  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: input });
  // The worker never keeps a CLI run or a test process alive.
  worker.unref();
  worker.on('message', (message: { kind: string; message?: string }) => {
    if (message.kind === 'failed') fallBack(message.message ?? 'checkpoint failed');
  });
  worker.on('error', (error) => fallBack(error.message));
  worker.on('exit', (code) => {
    if (code !== 0) fallBack(`worker exited with code ${code}`);
    running = false;
  });

  return {
    stop() {
      if (!running) return;
      running = false;
      worker.postMessage('stop');
      if (Atomics.wait(stopped, 0, 0, STOP_TIMEOUT_MS) === 'timed-out') {
        logger.warn({ file }, 'the checkpoint worker did not close its connection in time');
        void worker.terminate();
      }
    },
  };
}
