// Project logger: pino JSON lines, one child logger per subsystem, written to a size-rotated file
// in the data folder once initLogging() has run.
//
// Before initLogging(), and in tests that never call it, lines at level `warn` and above go to
// stderr and lower levels are dropped. So module-level loggers work from the first import, and
// problems in tests stay visible without flooding the output.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino, type Level, type Logger as PinoLogger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { REDACTED, REDACT_PATHS, scrubSecrets } from './redact.js';

export { registerSecret, scrubSecrets, REDACTED, MIN_SCRUBBED_SECRET_LENGTH } from './redact.js';

export type Logger = PinoLogger;
export type LogLevel = Level;

export type Subsystem =
  | 'sync'
  | 'ashby'
  | 'store'
  | 'ipc'
  | 'host'
  | 'cli'
  | 'sandbox'
  | 'import'
  | 'app'
  | (string & {});

export interface LoggingOptions {
  /** Data folder; the log goes to `<dataDir>/logs/console.log`. */
  dataDir: string;
  /** Minimum level written to the file. Default `info`. */
  level?: LogLevel;
  /** Size at which the file is rotated, in rotating-file-stream syntax (`10M`, `300K`, `500B`). Default `10M`. */
  maxFileSize?: string;
  /** Rotated files kept next to the live one (`console.log.1` … `console.log.N`). Default 5. */
  maxFiles?: number;
}

export const LOG_FILE_NAME = 'console.log';
const DEFAULT_LEVEL: LogLevel = 'info';
const STDERR_MIN_LEVEL = 40; // pino's numeric value for `warn`

// pino writes each line through this sink, which scrubs registered secrets and forwards the line
// to whichever target is current. Loggers created before initLogging() keep working after it,
// because the sink, not the logger, changes target.
interface LineTarget {
  write(line: string): void;
}

const stderrTarget: LineTarget = {
  write(line) {
    const match = /^\{"level":(\d+)/.exec(line);
    if (match && Number(match[1]) < STDERR_MIN_LEVEL) return;
    process.stderr.write(line);
  },
};

let currentTarget: LineTarget = stderrTarget;
let fileStream: RotatingFileStream | null = null;
let currentLevel: LogLevel = DEFAULT_LEVEL;

const sink = {
  write(line: string): void {
    currentTarget.write(scrubSecrets(line));
  },
};

const root: Logger = pino(
  {
    level: DEFAULT_LEVEL,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
  },
  sink,
);

// A pino child copies its level when created, so a later level change has to be applied to each
// subsystem logger. WeakRefs let unused loggers be garbage-collected.
const subsystemLoggers = new Set<WeakRef<Logger>>();

/** Creates the logger for one subsystem; every line carries `subsystem`. */
export function createLogger(subsystem: Subsystem): Logger {
  const logger = root.child({ subsystem });
  logger.level = currentLevel;
  subsystemLoggers.add(new WeakRef(logger));
  return logger;
}

function applyLevel(level: LogLevel): void {
  currentLevel = level;
  root.level = level;
  for (const ref of subsystemLoggers) {
    const logger = ref.deref();
    if (logger) logger.level = level;
    else subsystemLoggers.delete(ref);
  }
}

/**
 * Starts writing JSON lines to `<dataDir>/logs/console.log`, rotated by size and bounded in count.
 * Calling it again replaces the previous file target (the old stream is closed in the background).
 * Throws if the logs folder cannot be created.
 */
export function initLogging(options: LoggingOptions): void {
  const logsDir = path.join(options.dataDir, 'logs');
  // Logs name candidates and clients, so only the user may read them.
  mkdirSync(logsDir, { recursive: true, mode: 0o700 });

  const previous = fileStream;
  // `rotate` selects logrotate-style names (console.log.1 is the newest rotated file) and
  // deletes the oldest file beyond the count, so disk use stays near size × (count + 1).
  const stream = createStream(LOG_FILE_NAME, {
    path: logsDir + path.sep,
    size: options.maxFileSize ?? '10M',
    rotate: options.maxFiles ?? 5,
    mode: 0o600,
  });
  stream.on('error', (error: Error) => {
    // rotating-file-stream closes itself after an error, so logging falls back to stderr.
    if (fileStream === stream) {
      fileStream = null;
      currentTarget = stderrTarget;
    }
    stderrTarget.write(
      `${JSON.stringify({ level: 50, msg: `log file failed, writing warnings to stderr: ${error.message}` })}\n`,
    );
  });
  stream.on('warning', (error: Error) => {
    stderrTarget.write(`${JSON.stringify({ level: 40, msg: `log rotation warning: ${error.message}` })}\n`);
  });

  fileStream = stream;
  currentTarget = { write: (line) => void stream.write(line) };
  applyLevel(options.level ?? DEFAULT_LEVEL);

  if (previous) void endStream(previous);
}

/** Flushes and closes the log file; later lines go to stderr again (warnings and errors only). */
export async function closeLogging(): Promise<void> {
  const stream = fileStream;
  fileStream = null;
  currentTarget = stderrTarget;
  applyLevel(DEFAULT_LEVEL);
  if (stream) await endStream(stream);
}

function endStream(stream: RotatingFileStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableFinished) {
      resolve();
      return;
    }
    stream.once('error', () => resolve());
    stream.end(() => resolve());
  });
}

/** Returns the folder that initLogging() writes log files to for `dataDir`. */
export function logsDirectory(dataDir: string): string {
  return path.join(dataDir, 'logs');
}
