// The console side of the chaos run, in a process the parent kills with SIGKILL and starts again.
// It walks the phases import → link → bulk push → second import (later stage events), and
// records each finished phase in a marker file. Every phase is safe to repeat after a kill: an
// import is one transaction, a linked role is not linked again, and a bulk push skips candidates
// already linked or queued.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RateLimiterRegistry, type AshbyCallEvent } from '../../core/ashby/index.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/log/logger.js';
import type { SyncEngine } from '../../core/engine/engine.js';
import { importPipelineFile } from '../../core/pipeline/import.js';
import { watchInterruptedImports } from '../../core/pipeline/journal.js';
import { startAuditIndexer } from '../../core/audit/message-index.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../core/store/db.js';
import { addConsoleClient, createBenchEngine, roleIdOf, type TenantInfo } from '../bench/fixture.js';
import { faultsFile, markerFile, PHASES, type ChaosJob, type ChaosProgress, type ObservedFaults, type Phase } from './protocol.js';

const IDLE_TIMEOUT_MS = 60 * 60 * 1000;

function observeFaults(job: ChaosJob): { observed: ObservedFaults; onResponse: (event: AshbyCallEvent) => void } {
  const observed: ObservedFaults = { rate_limit: 0, http_5xx: 0, timeout: 0, connection_dropped: 0 };
  const onResponse = (event: AshbyCallEvent): void => {
    if (event.ok) return;
    if (event.status === 429) observed.rate_limit += 1;
    else if (event.status !== undefined && event.status >= 500) observed.http_5xx += 1;
    // The sandbox's timeout fault never responds, so the attempt lasts the whole timeout. A
    // commit-then-drop closes the connection as soon as the write is applied.
    else if (event.status === undefined && event.durationMs >= job.callTimeoutMs * 0.9) observed.timeout += 1;
    else if (event.status === undefined && event.errorKind !== 'cancelled') observed.connection_dropped += 1;
  };
  return { observed, onResponse };
}

function readCompleted(workDir: string): Phase[] {
  const file = markerFile(workDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Phase[]) : [];
}

/** Writes the marker through a rename, so a kill leaves the old or the new list, never half of one. */
function markCompleted(workDir: string, completed: Phase[]): void {
  const file = markerFile(workDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(completed));
  renameSync(`${file}.tmp`, file);
}

function clientIds(db: SqliteDatabase, job: ChaosJob): number[] {
  return job.tenants.map((tenant) => addConsoleClient(db, job.sandboxUrl, tenant));
}

async function runPhase(phase: Phase, job: ChaosJob, db: SqliteDatabase, engine: SyncEngine): Promise<void> {
  const dataDir = path.join(job.workDir, 'data');
  const ids = clientIds(db, job);
  switch (phase) {
    case 'clients':
      return;
    case 'import_1':
    case 'import_2':
      for (const [index, clientId] of ids.entries()) {
        const files = job.exports[index];
        if (files === undefined) throw new Error(`no exports for client ${clientId}`);
        await importPipelineFile(db, { clock: systemClock, clientId, file: phase === 'import_1' ? files.first : files.second, dataDir });
      }
      if (phase === 'import_2') await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
      return;
    case 'link':
      for (const [index, clientId] of ids.entries()) {
        const roleId = roleIdOf(db, clientId, job.roleExternalId);
        const linked = db.prepare('SELECT ashby_job_id FROM roles WHERE id = ?').get(roleId) as { ashby_job_id: string | null };
        if (linked.ashby_job_id === null) await engine.linkRole(roleId, (job.tenants[index] as TenantInfo).jobId);
      }
      await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
      return;
    case 'bulk_push':
      for (const clientId of ids) await engine.startBulkPush(roleIdOf(db, clientId, job.roleExternalId));
      await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
      return;
  }
}

async function main(): Promise<void> {
  const jobFile = process.argv[2];
  if (jobFile === undefined) throw new Error('usage: engine-process.ts JOB_FILE');
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as ChaosJob;
  const dataDir = path.join(job.workDir, 'data');
  const db = openDatabase({ file: path.join(dataDir, 'console.sqlite'), checkpoints: 'background' });
  // As in the app: an import a killed process had committed is finished in the background.
  const interruptedImports = watchInterruptedImports(db, systemClock, createLogger('import'));
  const auditIndexer = startAuditIndexer(db, createLogger('audit'));
  const { observed, onResponse } = observeFaults(job);
  const engine = createBenchEngine({ db, dataDir, limiter: new RateLimiterRegistry(), timeoutMs: job.callTimeoutMs, limits: job.limits, onResponse });
  const completed = readCompleted(job.workDir);
  let current: Phase | 'finished' = 'clients';
  const report = (): void => {
    const done = (db.prepare(`SELECT COUNT(*) AS done FROM outbox WHERE status = 'done'`).get() as { done: number }).done;
    writeFileSync(faultsFile(job.workDir, process.pid), JSON.stringify(observed));
    process.send?.({ phase: current, done } satisfies ChaosProgress);
  };
  const reporter = setInterval(report, 100);
  for (const phase of PHASES) {
    if (completed.includes(phase)) continue;
    current = phase;
    await runPhase(phase, job, db, engine);
    completed.push(phase);
    markCompleted(job.workDir, completed);
  }
  current = 'finished';
  await engine.stop();
  report();
  clearInterval(reporter);
  await interruptedImports.stop();
  await auditIndexer.stop();
  closeDatabase(db);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
