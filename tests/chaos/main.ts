// `npm run chaos`: pushes 3 clients' pipelines (import, link, bulk push, later stage events)
// through the real engine while the sandbox injects 429s, 5xx, timeouts and commit-then-drop
// faults, and kills the engine process with SIGKILL three times. Then compares Ashby's state with
// the state the pipeline data calls for. Exits 1 when any count is not 0.
//
//   npm run chaos -- [--json] [--quick] [--seed N]
//
// The sandbox runs in this process, so it survives the kills; the engine runs in a child.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENDPOINTS } from '../../core/sandbox/endpoints/index.js';
import { startSandbox, type FaultRequest } from '../../core/sandbox/index.js';
import { closeDatabase, openDatabase } from '../../core/store/db.js';
import { readTenantInfo, writePipelineCsv, writeResumes, type TenantInfo } from '../bench/fixture.js';
import { readCalls } from '../bench/measure.js';
import { markerFile, PHASES, type ChaosJob, type ChaosProgress, type ObservedFaults } from './protocol.js';
import {
  compareClient,
  expectedSecondEvents,
  expectedStage,
  generatePeople,
  pipelineRows,
  seededRandom,
  type ChaosCounts,
  type ChaosFinding,
  type ChaosPerson,
} from './expected.js';

const ENGINE_SCRIPT = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
const CLIENTS = 3;
const KILLS = 3;
const ROLE_ID = 'role-chaos';

/**
 * Seeded fault rates. 429s go to Ashby's API endpoints only, because the rate limit is Ashby's and
 * the presigned upload goes to a storage service; 5xx, timeouts and dropped connections go to
 * every call, uploads included. Each call draws the rules in order and the first that fires wins,
 * so the later rates are a little below their nominal values.
 */
const FAULTS: FaultRequest[] = [
  ...Object.keys(ENDPOINTS).map((endpoint): FaultRequest => ({ tenant: '*', endpoint, kind: 'rate_limit', rate: 0.05, ms: 1000 })),
  { tenant: '*', endpoint: '*', kind: 'http_500', rate: 0.02 },
  { tenant: '*', endpoint: '*', kind: 'timeout', rate: 0.01 },
  { tenant: '*', endpoint: '*', kind: 'commit_then_drop', rate: 0.01 },
];

interface Settings {
  perClient: number;
  seed: number;
  json: boolean;
}

/** Faster retries than the app's defaults keep the run short; the retry logic itself is the same. */
const ENGINE_LIMITS = { pollIntervalMs: 50, backoffBaseMs: 200, backoffMaxMs: 4000, lockTtlMs: 2000, stopTimeoutMs: 2000 };
/** The sandbox's timeout fault keeps a request open until the client gives up, so each one costs this long. */
const CALL_TIMEOUT_MS = 2000;

interface Lifetime {
  exit: 'killed' | 'finished' | 'crashed';
  phase: string;
  done: number;
  stderr: string;
}

/**
 * Starts the engine process and kills it with SIGKILL once its done-item count reaches
 * `killAtDone` (null: let it finish). Resolves when the process has exited.
 */
function runEngine(jobFile: string, killAtDone: number | null): Promise<Lifetime> {
  return new Promise((resolve) => {
    const child = fork(ENGINE_SCRIPT, [jobFile], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let last: ChaosProgress = { phase: 'clients', done: 0 };
    let killed = false;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (message) => {
      last = message as ChaosProgress;
      if (!killed && killAtDone !== null && last.done >= killAtDone) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code) => {
      resolve({ exit: killed ? 'killed' : code === 0 ? 'finished' : 'crashed', phase: last.phase, done: last.done, stderr });
    });
  });
}

function totalDoneExpected(people: readonly ChaosPerson[][]): number {
  // Bulk push sends every candidate whose first state has an enabled event (all but shortlisted);
  // the second import adds one event per changed state.
  return people.reduce((total, list) => total + list.filter((person) => person.first !== 'shortlisted').length + expectedSecondEvents(list), 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: '8' },
    },
  });
  const settings: Settings = { perClient: values.quick ? 60 : 1000, seed: Number(values.seed), json: values.json };
  if (!Number.isInteger(settings.seed)) throw new Error(`--seed must be a whole number, got ${values.seed}`);
  const random = seededRandom(settings.seed);
  const started = performance.now();

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'chaos-'));
  const sandbox = await startSandbox({ seed: 'empty', latencyMs: 5, faultSeed: settings.seed });
  try {
    const resumes = writeResumes(path.join(workDir, 'exports', 'resumes'), 10);
    const tenants: TenantInfo[] = [];
    const people: ChaosPerson[][] = [];
    const exports: ChaosJob['exports'] = [];
    for (let client = 1; client <= CLIENTS; client += 1) {
      const credentials = sandbox.addTenant({ name: `Chaos Client ${client}`, seed: 'empty' });
      tenants.push(await readTenantInfo(sandbox.url, credentials.name, credentials.apiKey));
      const list = generatePeople(client, settings.perClient, random, resumes);
      people.push(list);
      const first = path.join(workDir, 'exports', `client-${client}-1.csv`);
      const second = path.join(workDir, 'exports', `client-${client}-2.csv`);
      writePipelineCsv(first, pipelineRows(list, 'first', ROLE_ID));
      writePipelineCsv(second, pipelineRows(list, 'second', ROLE_ID));
      exports.push({ first, second });
    }
    sandbox.resetCallCounts();
    for (const fault of FAULTS) sandbox.addFault(fault);

    mkdirSync(path.join(workDir, 'data'), { recursive: true });
    const job: ChaosJob = { sandboxUrl: sandbox.url, workDir, tenants, exports, roleExternalId: ROLE_ID, callTimeoutMs: CALL_TIMEOUT_MS, limits: ENGINE_LIMITS };
    const jobFile = path.join(workDir, 'job.json');
    writeFileSync(jobFile, JSON.stringify(job));

    // Kill moments: three points of progress, drawn between 3 % and 90 % of the items to be done.
    const total = totalDoneExpected(people);
    const killPoints = Array.from({ length: KILLS }, () => Math.max(1, Math.floor(total * (0.03 + random() * 0.87)))).sort((a, b) => a - b);
    const lifetimes: Lifetime[] = [];
    for (const point of killPoints) lifetimes.push(await runEngine(jobFile, point));
    let finalRun = await runEngine(jobFile, null);
    lifetimes.push(finalRun);
    // A crash is a finding, but the run still compares what reached Ashby; one more start gives
    // the engine the chance a user's restart would.
    if (finalRun.exit === 'crashed') {
      finalRun = await runEngine(jobFile, null);
      lifetimes.push(finalRun);
    }
    const completed = existsSync(markerFile(workDir)) ? (JSON.parse(readFileSync(markerFile(workDir), 'utf8')) as string[]) : [];

    const db = openDatabase({ file: path.join(workDir, 'data', 'console.sqlite') });
    const counts: ChaosCounts = { duplicates: 0, missing: 0, wrong_stage: 0, lost_events: 0, audit_gaps: 0, unexpected: 0 };
    const perClient: Array<{ client: string } & ChaosCounts> = [];
    const findings: Array<ChaosFinding & { client: string }> = [];
    try {
      for (const [index, tenant] of tenants.entries()) {
        const client = db.prepare('SELECT id FROM clients WHERE name = ?').get(tenant.name) as { id: number } | undefined;
        const snapshot = sandbox.state(tenant.name) as unknown as Parameters<typeof compareClient>[1];
        const list = people[index] as ChaosPerson[];
        const clientFindings: ChaosFinding[] = [];
        const result =
          client === undefined
            ? { duplicates: 0, missing: list.filter((person) => expectedStage(person) !== null).length, wrong_stage: 0, lost_events: 0, audit_gaps: 0, unexpected: 0 }
            : compareClient(list, snapshot, db, client.id, tenant.jobId, clientFindings);
        perClient.push({ client: tenant.name, ...result });
        findings.push(...clientFindings.map((finding) => ({ client: tenant.name, ...finding })));
        for (const key of Object.keys(counts) as (keyof ChaosCounts)[]) counts[key] += result[key];
      }
    } finally {
      closeDatabase(db);
    }

    const calls = await Promise.all(tenants.map((tenant) => readCalls(sandbox.url, tenant.name)));
    const faultsObserved = faultCount(workDir);
    const killsSurvived = lifetimes.filter((lifetime) => lifetime.exit === 'killed').length;
    const finished = completed.length === PHASES.length;
    const document = {
      seed: settings.seed,
      mode: values.quick ? 'quick' : 'full',
      clients: CLIENTS,
      candidates_per_client: settings.perClient,
      ...counts,
      kills: killPoints.length,
      kills_survived: finished ? killsSurvived : 0,
      finished,
      faults_injected: faultsObserved,
      ashby_calls: calls.reduce((sum, count) => sum + count.ashbyCalls, 0),
      wall_s: Math.round((performance.now() - started) / 100) / 10,
      lifetimes: lifetimes.map(({ exit, phase, done, stderr }) => ({ exit, phase, done, ...(exit === 'crashed' ? { stderr } : {}) })),
      per_client: perClient,
      findings: findings.slice(0, 50),
      definitions: 'See tests/chaos/expected.ts (compareClient) for the exact meaning of each count.',
    };
    const bad = counts.duplicates + counts.missing + counts.wrong_stage + counts.lost_events + counts.audit_gaps + counts.unexpected;
    if (settings.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    else process.stdout.write(formatSummary(document));
    process.exitCode = bad > 0 || !finished || killsSurvived < KILLS ? 1 : 0;
  } finally {
    await sandbox.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Sums the faults the engine processes observed. The sandbox does not count the faults it
 * injects, so these are the client's failed attempts, classified by status and duration. A killed
 * process loses at most its last 100 ms of counts.
 */
function faultCount(workDir: string): ObservedFaults {
  const total: ObservedFaults = { rate_limit: 0, http_5xx: 0, timeout: 0, connection_dropped: 0 };
  for (const name of readdirSync(workDir)) {
    if (!/^faults-\d+\.json$/.test(name)) continue;
    const counts = JSON.parse(readFileSync(path.join(workDir, name), 'utf8')) as ObservedFaults;
    for (const key of Object.keys(total) as (keyof ObservedFaults)[]) total[key] += counts[key];
  }
  return total;
}

function formatSummary(document: Record<string, unknown>): string {
  const keys = ['duplicates', 'missing', 'wrong_stage', 'lost_events', 'audit_gaps', 'unexpected', 'kills_survived', 'finished', 'faults_injected', 'ashby_calls', 'wall_s'];
  const lines = [`Chaos run (${String(document['mode'])}, seed ${String(document['seed'])}): ${String(document['clients'])} clients x ${String(document['candidates_per_client'])} candidates`];
  for (const key of keys) lines.push(`  ${key.padEnd(16)} ${JSON.stringify(document[key])}`);
  lines.push(`  lifetimes        ${JSON.stringify(document['lifetimes'])}`);
  for (const finding of document['findings'] as Array<ChaosFinding & { client: string }>) {
    lines.push(`  - ${finding.count}: ${finding.client} ${finding.subject}: ${finding.reason}`);
  }
  lines.push('');
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
