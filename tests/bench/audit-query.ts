// Benchmark: time Activity-screen queries on a generated audit log, one JSON line per case.
//
//   npx tsx tests/bench/audit-query.ts [--entries 1000000] [--db FILE]
//
// Each case reads a first page of 100 with a bounded count, then the next page by cursor. With
// --db an existing database made by audit-export.ts or generateAuditDatabase is reused.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AuditFilter } from '../../core/audit/filter.js';
import { queryAuditPage } from '../../core/audit/query.js';
import { closeDatabase, openDatabase } from '../../core/store/db.js';
import { generateAuditDatabase } from './audit-export.js';

export interface AuditQueryTiming {
  name: string;
  plan: string;
  rows: number;
  count: number | null;
  countExact: boolean | null;
  first_page_ms: number;
  next_page_ms: number | null;
}

/** Filters over the generated fixture (10 clients, 200 roles, 50,000 candidates). */
export const AUDIT_QUERY_CASES: [string, AuditFilter][] = [
  ['no filter', {}],
  ['client', { clientId: 3 }],
  ['role', { roleId: 17 }],
  ['candidate', { candidateId: 4242 }],
  ['event', { event: 'hire' }],
  ['outcome failed', { outcome: 'failed' }],
  ['client and outcome', { clientId: 3, outcome: 'failed' }],
  [
    'client, event and month',
    { clientId: 3, event: 'archive', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
  ],
  ['one day', { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }],
  ['text: one email', { text: 'person4242@example.com' }],
  ['text: accented name', { text: 'Zoë Ångström' }],
  ['text: common phrase', { text: 'Reached Out' }],
  ['text: 5% of messages', { text: 'candidatesWrite' }],
  ['text: two CJK characters', { text: '田中' }],
  ['text: no match', { text: 'zzqqxx' }],
  ['text and client', { text: 'candidatesWrite', clientId: 3 }],
];

/** Runs every case against the database at `file` and returns the timings. */
export function runAuditQueryBenchmark(file: string): AuditQueryTiming[] {
  const db = openDatabase({ file });
  try {
    return AUDIT_QUERY_CASES.map(([name, filter]) => {
      const started = performance.now();
      const first = queryAuditPage(db, filter, { limit: 100, includeCount: true });
      const firstMs = performance.now() - started;

      let nextMs: number | null = null;
      if (first.nextCursor) {
        const nextStarted = performance.now();
        queryAuditPage(db, filter, { limit: 100, after: first.nextCursor });
        nextMs = performance.now() - nextStarted;
      }
      return {
        name,
        plan: first.textPlan,
        rows: first.entries.length,
        count: first.count?.value ?? null,
        countExact: first.count?.exact ?? null,
        first_page_ms: Number(firstMs.toFixed(1)),
        next_page_ms: nextMs === null ? null : Number(nextMs.toFixed(1)),
      };
    });
  } finally {
    closeDatabase(db);
  }
}

function main(): void {
  const { values } = parseArgs({
    options: { entries: { type: 'string', default: '1000000' }, db: { type: 'string' } },
  });
  const entries = Number(values.entries);
  if (!Number.isInteger(entries) || entries < 1) {
    throw new Error(`--entries must be a whole number above 0, got ${values.entries}`);
  }

  const tempDir = values.db ? null : mkdtempSync(path.join(tmpdir(), 'audit-query-bench-'));
  const file = values.db ?? path.join(tempDir!, 'console.sqlite');
  try {
    if (!statSync(file, { throwIfNoEntry: false })) generateAuditDatabase(file, entries);
    for (const timing of runAuditQueryBenchmark(file))
      process.stdout.write(`${JSON.stringify(timing)}\n`);
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}
