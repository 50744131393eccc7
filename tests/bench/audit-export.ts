// Benchmark: export a generated audit log and report time, size and peak memory as JSON.
//
//   npx tsx tests/bench/audit-export.ts [--entries 1000000] [--format csv|jsonl] [--redact] [--db FILE]
//
// The log is generated in a child process, so this process's peak RSS covers the export alone.
// With --db an existing generated database is reused (and kept); otherwise a temp folder is made
// and removed afterwards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportAudit } from '../../core/audit/export.js';
import type { AuditExportFormat } from '../../core/audit/export-format.js';
import { systemClock } from '../../core/clock.js';
import { closeDatabase, openDatabase } from '../../core/store/db.js';
import { generateAuditFixture } from './audit-fixtures.js';

export interface AuditExportBenchOptions {
  /** Database created by `generateAuditDatabase`. */
  file: string;
  format: AuditExportFormat;
  redactPii: boolean;
  /** Export destination; removed after measuring. */
  out: string;
  /** Started just before the export and stopped just after it; opening and closing the database are left out. */
  phase?: { start(): void; stop(): Promise<void> };
}

export interface AuditExportBenchResult {
  wall_s: number;
  rows: number;
  bytes: number;
  /** Highest resident set size sampled every 50 ms during the export, in MiB. */
  peak_rss_mb: number;
  /** The process's lifetime peak RSS (getrusage maxrss), in MiB. */
  max_rss_mb: number;
  peak_heap_mb: number;
}

const MIB = 1024 * 1024;

/** Creates `file` with `entries` generated audit entries and returns the time it took in seconds. */
export function generateAuditDatabase(file: string, entries: number): number {
  const started = performance.now();
  const db = openDatabase({ file });
  try {
    generateAuditFixture(db, { entries });
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    closeDatabase(db);
  }
  return (performance.now() - started) / 1000;
}

/** Exports every entry of `options.file` and measures wall time and memory. */
export async function runAuditExportBenchmark(
  options: AuditExportBenchOptions,
): Promise<AuditExportBenchResult> {
  const db = openDatabase({ file: options.file });
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);

  try {
    options.phase?.start();
    const started = performance.now();
    const result = await exportAudit(db, {
      filter: {},
      format: options.format,
      redactPii: options.redactPii,
      out: options.out,
      clock: systemClock,
      actor: 'benchmark',
    });
    const wall = (performance.now() - started) / 1000;
    await options.phase?.stop();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return {
      wall_s: Number(wall.toFixed(2)),
      rows: result.rows,
      bytes: result.bytes,
      peak_rss_mb: Number((peakRss / MIB).toFixed(1)),
      max_rss_mb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
      peak_heap_mb: Number((peakHeap / MIB).toFixed(1)),
    };
  } finally {
    clearInterval(sampler);
    closeDatabase(db);
    rmSync(options.out, { force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entries: { type: 'string', default: '1000000' },
      format: { type: 'string', default: 'csv' },
      redact: { type: 'boolean', default: false },
      db: { type: 'string' },
      'generate-only': { type: 'string' },
    },
  });
  const entries = Number(values.entries);
  if (!Number.isInteger(entries) || entries < 1)
    throw new Error(`--entries must be a whole number above 0, got ${values.entries}`);

  if (values['generate-only']) {
    const seconds = generateAuditDatabase(values['generate-only'], entries);
    process.stdout.write(`${JSON.stringify({ generate_s: Number(seconds.toFixed(1)) })}\n`);
    return;
  }

  const format = values.format;
  if (format !== 'csv' && format !== 'jsonl')
    throw new Error(`--format must be csv or jsonl, got ${format}`);

  const tempDir = values.db ? null : mkdtempSync(path.join(tmpdir(), 'audit-export-bench-'));
  const file = values.db ?? path.join(tempDir!, 'console.sqlite');
  try {
    let generateSeconds: number | null = null;
    if (!values.db || !statSync(file, { throwIfNoEntry: false })) {
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--generate-only',
          file,
          '--entries',
          String(entries),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0)
        throw new Error(`generating the audit log failed with exit code ${child.status}`);
      generateSeconds = (JSON.parse(child.stdout.trim()) as { generate_s: number }).generate_s;
    }
    const result = await runAuditExportBenchmark({
      file,
      format,
      redactPii: values.redact,
      out: path.join(path.dirname(file), `audit-export.${format}`),
    });
    process.stdout.write(
      `${JSON.stringify({ format, redact: values.redact, generate_s: generateSeconds, ...result })}\n`,
    );
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
