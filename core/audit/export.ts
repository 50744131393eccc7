// Streams the audit entries matching a filter to CSV or JSON Lines in bounded memory: rows are read
// in keyset chunks, each chunk is written before the next is read, and the writer waits for 'drain' whenever
// the destination's buffer is full (backpressure). Each export appends its own audit entry.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { createLogger, type Logger } from '../log/logger.js';
import { TURN_BUDGET_MS, TurnBudget, yieldToEventLoop } from '../turns.js';
import { appendAudit } from '../store/repo/audit.js';
import {
  AUDIT_EXPORT_FORMATS,
  csvHeaderText,
  csvText,
  jsonLinesText,
  toExportRecord,
  UTF8_BOM,
  type AuditExportFormat,
} from './export-format.js';
import { AuditFilter, type AuditCursor } from './filter.js';
import { Pseudonymizer, loadPseudonymSalt } from './pseudonyms.js';
import { prepareAuditFilter, readAuditRows, type PreparedAuditFilter } from './query.js';

export const AUDIT_EXPORT_ACTION = 'audit.export';
/** Maximum rows read and written per chunk; memory use is proportional to this, not to the export. */
export const DEFAULT_EXPORT_CHUNK_ROWS = 1000;
/** Chunk sizes adapt to the machine: each chunk is sized to take about one turn's budget. */
const FIRST_CHUNK_ROWS = 100;
const MIN_CHUNK_ROWS = 20;

export interface AuditExportProgress {
  rows: number;
  bytes: number;
  /** Rows the export will write in total. */
  total: number;
}

export interface AuditExportResult {
  rows: number;
  bytes: number;
}

export interface AuditExportOptions {
  filter: AuditFilter;
  format: AuditExportFormat;
  /** Replace names, emails, LinkedIn URLs and phone numbers with stable pseudonyms. */
  redactPii: boolean;
  /**
   * A file path, written to `<path>.partial` and renamed when complete, or a stream, which is
   * ended on success and destroyed on failure.
   */
  out: Writable | string;
  clock: Clock;
  /** Requester of the export (`admin`, `cli`, …), recorded in its audit entry. */
  actor: string;
  signal?: AbortSignal;
  /** Called after each chunk. */
  onProgress?: (progress: AuditExportProgress) => void;
  /** Maximum rows per chunk. Below it, each chunk is sized to about one turn's budget. */
  chunkRows?: number;
  logger?: Logger;
}

const ExportSettings = z.object({
  filter: AuditFilter,
  format: z.enum(AUDIT_EXPORT_FORMATS),
  redactPii: z.boolean(),
  actor: z.string().trim().min(1).max(200),
  chunkRows: z.number().int().min(1).max(10_000).default(DEFAULT_EXPORT_CHUNK_ROWS),
});

interface Destination {
  stream: Writable;
  /** Moves a completed file into place; a no-op for a caller's stream. */
  commit(): Promise<void>;
  /** Removes a partial file, or destroys a caller's stream. */
  abandon(error: unknown): Promise<void>;
  kind: 'file' | 'stream';
}

function openDestination(out: Writable | string): Destination {
  if (typeof out !== 'string') {
    return {
      stream: out,
      kind: 'stream',
      commit: async () => {},
      abandon: async (error) => {
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    };
  }
  const partial = `${out}.partial`;
  const stream = createWriteStream(partial);
  return {
    stream,
    kind: 'file',
    commit: () => rename(partial, out),
    abandon: async () => {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}

/** Tracks the first error a stream emits, since a write that returned true may still fail later. */
function watchErrors(stream: Writable): { check(): void } {
  let failure: Error | null = null;
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  return {
    check() {
      if (failure) throw failure;
      if (stream.destroyed)
        throw new Error(
          'The export destination was closed before the export finished. Check the destination and export again.',
        );
    },
  };
}

function waitForDrain(stream: Writable, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(
        new Error(
          'The export destination was closed before the export finished. Check the destination and export again.',
        ),
      );
    };
    const onAbort = () => {
      cleanup();
      reject(signal?.reason ?? new Error('The export was cancelled.'));
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Ids counted in one turn of the event loop: a log of a million entries is counted in pieces. */
const COUNT_ID_RANGE = 20_000;

async function countExportRows(
  db: Database.Database,
  prepared: PreparedAuditFilter,
  maxId: number,
): Promise<number> {
  const conditions = [...prepared.fragment.conditions, 'a.id > ?', 'a.id <= ?'];
  const count = db.prepare(`SELECT count(*) FROM audit_log a WHERE ${conditions.join(' AND ')}`).pluck();
  const turn = new TurnBudget();
  let total = 0;
  for (let low = 0; low < maxId; low += COUNT_ID_RANGE) {
    total += count.get(...prepared.fragment.params, low, Math.min(maxId, low + COUNT_ID_RANGE)) as number;
    await turn.pace();
  }
  return total;
}

/** Rows of the next chunk: as many as fit in a turn's budget at the pace of the last chunk. */
function nextChunkRows(rows: number, elapsedMs: number, maxRows: number): number {
  if (elapsedMs <= 0) return maxRows;
  return Math.min(maxRows, Math.max(MIN_CHUNK_ROWS, Math.round((rows * TURN_BUDGET_MS) / elapsedMs)));
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/**
 * Writes every audit entry matching `options.filter`, oldest first, and returns how many rows and
 * bytes were written. Entries appended while the export runs are not included. CSV is UTF-8 with
 * a byte order mark and CRLF line ends; JSON Lines has one object per line.
 * Throws a ZodError for invalid options, the stream's error when writing fails, and the signal's
 * reason when cancelled. In every case the export's own audit entry records the outcome.
 */
export async function exportAudit(
  db: Database.Database,
  options: AuditExportOptions,
): Promise<AuditExportResult> {
  const settings = ExportSettings.parse({
    filter: options.filter,
    format: options.format,
    redactPii: options.redactPii,
    actor: options.actor,
    chunkRows: options.chunkRows,
  });
  const logger = options.logger ?? createLogger('audit');
  const { signal } = options;
  signal?.throwIfAborted();

  const prepared = prepareAuditFilter(db, settings.filter);
  const maxId = (db.prepare('SELECT max(id) FROM audit_log').pluck().get() as number | null) ?? 0;
  const total = await countExportRows(db, prepared, maxId);
  const pseudonymizer = settings.redactPii ? new Pseudonymizer(loadPseudonymSalt(db)) : null;
  const clientId =
    settings.filter.clientId !== undefined &&
    db.prepare('SELECT 1 FROM clients WHERE id = ?').get(settings.filter.clientId) !== undefined
      ? settings.filter.clientId
      : null;

  const destination = openDestination(options.out);
  const errors = watchErrors(destination.stream);
  let rows = 0;
  let bytes = 0;

  const write = async (text: string) => {
    if (text === '') return;
    errors.check();
    bytes += Buffer.byteLength(text, 'utf8');
    if (!destination.stream.write(text, 'utf8')) await waitForDrain(destination.stream, signal);
  };

  try {
    await write(settings.format === 'csv' ? UTF8_BOM + csvHeaderText() : '');

    let cursor: AuditCursor | null = null;
    let limit = Math.min(settings.chunkRows, FIRST_CHUNK_ROWS);
    for (;;) {
      signal?.throwIfAborted();
      const started = performance.now();
      const chunk = readAuditRows(db, prepared, {
        limit,
        after: cursor,
        order: 'oldest_first',
        maxId,
      });
      if (chunk.length === 0) break;

      const records = chunk.map((entry) => toExportRecord(entry, pseudonymizer));
      const text = settings.format === 'csv' ? csvText(records) : jsonLinesText(records);
      const elapsed = performance.now() - started;
      await write(text);
      rows += chunk.length;
      const last = chunk[chunk.length - 1]!;
      cursor = { at: last.at, id: last.id };
      options.onProgress?.({ rows, bytes, total });
      if (chunk.length < limit) break;
      limit = nextChunkRows(chunk.length, elapsed, settings.chunkRows);
      // Lets IPC, timers and the engine run between chunks even when the destination never
      // applies backpressure.
      await yieldToEventLoop();
    }

    errors.check();
    destination.stream.end();
    await finished(destination.stream);
    await destination.commit();
  } catch (error) {
    const outcome = isAbort(error, signal) ? 'cancelled' : 'failed';
    await destination.abandon(error).catch((cleanupError: unknown) => {
      logger.warn({ err: cleanupError }, 'could not remove the partial audit export');
    });
    try {
      recordExport(db, options, {
        settings,
        clientId,
        outcome,
        rows,
        bytes,
        destination: destination.kind,
        error,
      });
    } catch (recordError) {
      // The export's own error is the one the caller needs; the lost record goes to the log.
      logger.error({ err: recordError, outcome, rows }, 'could not record the failed audit export');
    }
    throw error;
  }

  // Throws if the entry cannot be written: an export must not go unrecorded without the caller knowing.
  recordExport(db, options, {
    settings,
    clientId,
    outcome: 'ok',
    rows,
    bytes,
    destination: destination.kind,
  });
  return { rows, bytes };
}

interface ExportRecordInput {
  settings: z.infer<typeof ExportSettings>;
  clientId: number | null;
  outcome: 'ok' | 'failed' | 'cancelled';
  rows: number;
  bytes: number;
  destination: 'file' | 'stream';
  error?: unknown;
}

function describeExport(input: ExportRecordInput): string {
  const format = input.settings.format === 'csv' ? 'CSV' : 'JSON Lines';
  const redaction = input.settings.redactPii ? 'with personal data redacted' : 'with personal data';
  const entries = `${input.rows} audit ${input.rows === 1 ? 'entry' : 'entries'}`;
  if (input.outcome === 'ok') return `Exported ${entries} as ${format} ${redaction}`;
  if (input.outcome === 'cancelled') return `Export as ${format} cancelled after ${entries}`;
  const reason = input.error instanceof Error ? input.error.message : String(input.error);
  return `Export as ${format} failed after ${entries}: ${reason}`;
}

function recordExport(
  db: Database.Database,
  options: AuditExportOptions,
  input: ExportRecordInput,
): void {
  appendAudit(db, options.clock, {
    clientId: input.clientId,
    action: AUDIT_EXPORT_ACTION,
    outcome: input.outcome,
    message: describeExport(input),
    actor: input.settings.actor,
    details: {
      filter: input.settings.filter,
      format: input.settings.format,
      redactPii: input.settings.redactPii,
      rows: input.rows,
      bytes: input.bytes,
      destination: input.destination,
    },
  });
}
