// One benchmark scenario in its own process, so its peak memory and event-loop lag belong to it
// alone. The parent passes the job file's path; the result goes back over the IPC channel.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAshbyClient, RateLimiterRegistry } from '../../core/ashby/index.js';
import { systemClock } from '../../core/clock.js';
import { importPipelineFile } from '../../core/pipeline/import.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../core/store/db.js';
import { startAuditIndexer } from '../../core/audit/message-index.js';
import { createLogger } from '../../core/log/logger.js';
import { runAuditExportBenchmark } from './audit-export.js';
import { addConsoleClient, createBenchEngine, roleIdOf } from './fixture.js';
import type { ChildJob, ChildResult, Person } from './jobs.js';
import { idleLagP99Ms, PhaseTimer, peakRssMb, readCalls, resetCalls, sumCalls, type CallCount } from './measure.js';

/** Event-loop lag of this process while idle, measured once before the scenario starts. */
let idleLagMs = 0;

/** Long enough for the largest scenario at the lowest rate limit the benchmark accepts. */
const IDLE_TIMEOUT_MS = 60 * 60 * 1000;

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function result(timer: PhaseTimer, items: number, calls: CallCount, failed: number, detail: ChildResult['detail'] = {}): ChildResult {
  detail['phase_peak_rss_mb'] = round(timer.phasePeakRssMb, 1);
  detail['idle_lag_p99_ms'] = round(idleLagMs);
  return {
    wall_s: round(timer.wallSeconds),
    items,
    ashby_calls: calls.ashbyCalls,
    presigned_uploads: calls.uploads,
    calls_by_endpoint: calls.byEndpoint,
    failed,
    event_loop_lag_p99_ms: round(timer.lagP99Ms),
    event_loop_lag_max_ms: round(timer.lagMaxMs),
    peak_rss_mb: round(peakRssMb(), 1),
    detail,
  };
}

async function tenantCalls(job: ChildJob): Promise<CallCount> {
  return sumCalls(await Promise.all(job.tenants.map((tenant) => readCalls(job.sandboxUrl, tenant.name))));
}

async function resetTenantCalls(job: ChildJob): Promise<void> {
  for (const tenant of job.tenants) await resetCalls(job.sandboxUrl, tenant.name);
}

/** Opens the scenario's data folder as the app does: background checkpoints and the audit indexer. */
function openDataFolder(job: ChildJob): { db: SqliteDatabase; dataDir: string; close(): Promise<void> } {
  const dataDir = path.join(job.workDir, 'data');
  const db = openDatabase({ file: path.join(dataDir, 'console.sqlite'), checkpoints: 'background' });
  const indexer = startAuditIndexer(db, createLogger('audit'));
  return {
    db,
    dataDir,
    async close() {
      await indexer.stop();
      closeDatabase(db);
    },
  };
}

function countOutbox(db: SqliteDatabase, where: string, ...params: unknown[]): { items: number; failed: number } {
  const row = db
    .prepare(`SELECT COUNT(*) AS items, COALESCE(SUM(status <> 'done'), 0) AS failed FROM outbox WHERE ${where}`)
    .get(...params) as { items: number; failed: number };
  return row;
}

/** Imports each tenant's first export, links the role and waits for link resolution. Returns the role ids. */
async function importAndLink(job: ChildJob, db: SqliteDatabase, dataDir: string, engine: ReturnType<typeof createBenchEngine>, link: boolean): Promise<number[]> {
  const roleIds: number[] = [];
  for (const [index, tenant] of job.tenants.entries()) {
    const clientId = addConsoleClient(db, job.sandboxUrl, tenant);
    const file = job.exports[index]?.first;
    if (file === undefined) throw new Error(`no export for tenant ${tenant.name}`);
    await importPipelineFile(db, { clock: systemClock, clientId, file, dataDir });
    const roleId = roleIdOf(db, clientId, job.roleExternalId);
    roleIds.push(roleId);
    if (link) await engine.linkRole(roleId, tenant.jobId);
  }
  if (link) await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
  return roleIds;
}

async function engineBulk(job: ChildJob): Promise<ChildResult> {
  const { db, dataDir, close } = openDataFolder(job);
  const engine = createBenchEngine({ db, dataDir, limiter: new RateLimiterRegistry() });
  try {
    const roleIds = await importAndLink(job, db, dataDir, engine, true);
    await resetTenantCalls(job);
    const timer = new PhaseTimer();
    timer.start();
    const runIds = await Promise.all(roleIds.map((roleId) => engine.startBulkPush(roleId)));
    await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
    await timer.stop();
    const calls = await tenantCalls(job);
    const counts = countOutbox(db, `run_id IN (${runIds.map(() => '?').join(', ')})`, ...runIds);
    return result(timer, counts.items, calls, counts.failed);
  } finally {
    await engine.stop();
    await close();
  }
}

async function engineLink(job: ChildJob): Promise<ChildResult> {
  const { db, dataDir, close } = openDataFolder(job);
  const engine = createBenchEngine({ db, dataDir, limiter: new RateLimiterRegistry() });
  try {
    const [roleId] = await importAndLink(job, db, dataDir, engine, false);
    const tenant = job.tenants[0];
    if (roleId === undefined || tenant === undefined) throw new Error('link_resolution needs one tenant');
    await resetTenantCalls(job);
    const timer = new PhaseTimer();
    timer.start();
    const runId = await engine.linkRole(roleId, tenant.jobId);
    await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
    await timer.stop();
    const calls = await tenantCalls(job);
    const statuses = db
      .prepare(
        `SELECT COUNT(*) AS items, COALESCE(SUM(ashby_status = 'linked'), 0) AS linked,
           COALESCE(SUM(ashby_candidate_id IS NOT NULL), 0) AS found FROM candidates WHERE role_id = ?`,
      )
      .get(roleId) as { items: number; linked: number; found: number };
    const run = engine.getRun(runId);
    return result(timer, statuses.items, calls, run?.status === 'completed' ? 0 : statuses.items, {
      linked: statuses.linked,
      found_in_ashby: statuses.found,
      run_status: run?.status ?? 'missing',
    });
  } finally {
    await engine.stop();
    await close();
  }
}

async function engineAdvance(job: ChildJob): Promise<ChildResult> {
  const { db, dataDir, close } = openDataFolder(job);
  const engine = createBenchEngine({ db, dataDir, limiter: new RateLimiterRegistry() });
  try {
    await importAndLink(job, db, dataDir, engine, true);
    const clientIds = job.tenants.map((tenant) => addConsoleClient(db, job.sandboxUrl, tenant));
    const before = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM outbox').get() as { id: number }).id;
    await resetTenantCalls(job);
    const timer = new PhaseTimer();
    timer.start();
    let fired = 0;
    for (const [index, clientId] of clientIds.entries()) {
      const file = job.exports[index]?.second;
      if (file === undefined) throw new Error('advance needs a second export');
      const report = await importPipelineFile(db, { clock: systemClock, clientId, file, dataDir });
      fired += report.eventsFired;
    }
    await engine.runUntilIdle({ timeoutMs: IDLE_TIMEOUT_MS });
    await timer.stop();
    const calls = await tenantCalls(job);
    const counts = countOutbox(db, 'id > ?', before);
    const moved = db.prepare(`SELECT COUNT(*) AS moved FROM outbox WHERE id > ? AND status = 'done' AND reason_code IS NULL`).get(before) as { moved: number };
    return result(timer, counts.items, calls, counts.failed, { events_fired: fired, moved: moved.moved });
  } finally {
    await engine.stop();
    await close();
  }
}

async function importOnly(job: ChildJob): Promise<ChildResult> {
  const { db, dataDir, close } = openDataFolder(job);
  try {
    const tenant = job.tenants[0];
    const file = job.exports[0]?.first;
    if (tenant === undefined || file === undefined) throw new Error('import needs one tenant and one export');
    const clientId = addConsoleClient(db, job.sandboxUrl, tenant);
    const timer = new PhaseTimer();
    timer.start();
    const report = await importPipelineFile(db, { clock: systemClock, clientId, file, dataDir });
    await timer.stop();
    return result(timer, report.rows, { ashbyCalls: 0, uploads: 0, byEndpoint: {} }, report.rowsRejected, {
      candidates_created: report.candidatesCreated,
      roles_created: report.rolesCreated,
    });
  } finally {
    await close();
  }
}

async function auditExport(job: ChildJob): Promise<ChildResult> {
  const entries = job.auditEntries ?? 1_000_000;
  const file = path.join(job.workDir, 'audit.sqlite');
  // The log is generated in another process, so this one's peak memory covers the export alone.
  const script = fileURLToPath(new URL('./audit-export.ts', import.meta.url));
  const generated = spawnSync(process.execPath, [...process.execArgv, script, '--generate-only', file, '--entries', String(entries)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (generated.status !== 0) throw new Error(`generating ${entries} audit entries failed with exit code ${generated.status}`);
  const timer = new PhaseTimer();
  const exported = await runAuditExportBenchmark({ file, format: 'csv', redactPii: false, out: path.join(job.workDir, 'audit.csv'), phase: timer });
  return result(timer, exported.rows, { ashbyCalls: 0, uploads: 0, byEndpoint: {} }, entries - exported.rows, {
    bytes: exported.bytes,
    generate_s: (JSON.parse(generated.stdout.trim()) as { generate_s: number }).generate_s,
  });
}

function readPeople(job: ChildJob): Person[] {
  if (job.peopleFile === undefined) throw new Error('the literal scenarios need a people file');
  return JSON.parse(readFileSync(job.peopleFile, 'utf8')) as Person[];
}

/**
 * Pushes each person the literal way, one at a time: search by email, create, upload the resume
 * (upload handle, presigned upload, candidate.uploadResume), create the application at the first
 * Lead stage, then move it to Reached Out.
 */
async function literalBulk(job: ChildJob): Promise<ChildResult> {
  const tenant = job.tenants[0];
  if (tenant === undefined) throw new Error('literal_bulk needs one tenant');
  const ashby = createAshbyClient({ baseUrl: job.sandboxUrl, apiKey: tenant.apiKey, label: tenant.name, limiter: new RateLimiterRegistry() });
  const plan = await ashby.jobInterviewPlan.info({ jobId: tenant.jobId });
  const reachedOut = plan.results.stages.find((stage) => stage.title === 'Reached Out');
  if (reachedOut === undefined) throw new Error('the job has no Reached Out stage');
  const people = readPeople(job);
  await resetTenantCalls(job);

  let failed = 0;
  const timer = new PhaseTimer();
  timer.start();
  for (const person of people) {
    try {
      const found = await ashby.candidate.search({ email: person.email });
      if (found.results.length > 0) continue;
      const created = await ashby.candidate.create({ name: person.name, email: person.email });
      if (person.resumeFile !== null) {
        const bytes = new Uint8Array(readFileSync(person.resumeFile));
        await ashby.uploadResume(created.results.id, { bytes, filename: path.basename(person.resumeFile), contentType: 'application/pdf' });
      }
      const application = await ashby.application.create({ candidateId: created.results.id, jobId: tenant.jobId, sourceId: tenant.sourceId });
      await ashby.application.changeStage({ applicationId: application.results.id, interviewStageId: reachedOut.id });
    } catch (error) {
      failed += 1;
      process.stderr.write(`literal push of ${person.email} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  await timer.stop();
  return result(timer, people.length, await tenantCalls(job), failed);
}

/** Resolves each person with one candidate.search by email, one at a time. */
async function literalLink(job: ChildJob): Promise<ChildResult> {
  const tenant = job.tenants[0];
  if (tenant === undefined) throw new Error('literal_link needs one tenant');
  const ashby = createAshbyClient({ baseUrl: job.sandboxUrl, apiKey: tenant.apiKey, label: tenant.name, limiter: new RateLimiterRegistry() });
  const people = readPeople(job);
  await resetTenantCalls(job);

  let failed = 0;
  let found = 0;
  const timer = new PhaseTimer();
  timer.start();
  for (const person of people) {
    try {
      const response = await ashby.candidate.search({ email: person.email });
      if (response.results.length > 0) found += 1;
    } catch (error) {
      failed += 1;
      process.stderr.write(`literal search of ${person.email} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  await timer.stop();
  return result(timer, people.length, await tenantCalls(job), failed, { found_in_ashby: found });
}

/**
 * Starts the V8 CPU profiler through the inspector, for `BENCH_CPU_PROFILE_DIR`; Node 20 does not
 * accept --cpu-prof in NODE_OPTIONS, so a forked child cannot be profiled from outside.
 */
async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const RUNNERS: Record<ChildJob['kind'], (job: ChildJob) => Promise<ChildResult>> = {
  engine_bulk: engineBulk,
  engine_link: engineLink,
  engine_advance: engineAdvance,
  import: importOnly,
  audit_export: auditExport,
  literal_bulk: literalBulk,
  literal_link: literalLink,
};

async function main(): Promise<void> {
  const jobFile = process.argv[2];
  if (jobFile === undefined) throw new Error('usage: child.ts JOB_FILE');
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as ChildJob;
  idleLagMs = await idleLagP99Ms(2000);
  const profileDir = process.env['BENCH_CPU_PROFILE_DIR'];
  const profiler = profileDir === undefined ? undefined : await startCpuProfile();
  const measured = await RUNNERS[job.kind](job);
  if (profiler !== undefined && profileDir !== undefined) await profiler.stop(path.join(profileDir, `${job.kind}-${process.pid}.cpuprofile`));
  if (process.send === undefined) {
    process.stdout.write(`${JSON.stringify(measured)}\n`);
    return;
  }
  await new Promise<void>((resolve, reject) => process.send?.(measured, (error: Error | null) => (error ? reject(error) : resolve())));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
