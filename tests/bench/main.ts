// `npm run bench`: runs the real engine against the sandbox with a set latency and per-key rate
// limit, and reports throughput against the rate-limit ceiling, calls per item, event-loop lag
// and peak memory for each scenario.
//
//   npm run bench -- [--json] [--quick] [--scenario NAME] [--latency-ms 40] [--rate-limit N]
//
// The sandbox runs in this process; each scenario's console side runs in a fresh child process,
// so peak RSS and event-loop lag belong to that scenario alone. Exits 1 when an item failed or a
// scenario crashed; speed figures are reported against their targets but never fail the run.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSandbox, type Sandbox } from '../../core/sandbox/index.js';
import { SCENARIOS, type ChildResult, type ScenarioName } from './jobs.js';
import {
  FULL_SIZES,
  prepareAdvance,
  prepareAuditExport,
  prepareBulkNew,
  prepareImport,
  prepareLinkResolution,
  prepareLiteralBulk,
  QUICK_SIZES,
  type PreparedPart,
  type Sizes,
} from './prepare.js';
import { formatTable, judge, type ScenarioReport } from './report.js';

interface Settings {
  quick: boolean;
  latencyMs: number;
  rateLimitPerMinute: number;
  sizes: Sizes;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * Default per-key limits. With 40 ms per call and the engine's 4 items in flight per client, one
 * key could send roughly 5,000 calls a minute, so 2,000 keeps the rate limit the bound in full
 * runs. Quick runs are too short to fill a 60-second window and are bound by latency instead.
 */
const FULL_RATE_LIMIT = 2000;
const QUICK_RATE_LIMIT = 600;

async function partsOf(scenario: ScenarioName, sandbox: () => Promise<Sandbox>, workDir: string, sizes: Sizes): Promise<PreparedPart[]> {
  switch (scenario) {
    case 'bulk_new':
      return [await prepareBulkNew(await sandbox(), workDir, sizes, 1)];
    case 'bulk_new_5_clients':
      return [await prepareBulkNew(await sandbox(), workDir, sizes, sizes.clients)];
    case 'link_resolution':
      return [await prepareLinkResolution(await sandbox(), workDir, sizes, false)];
    case 'advance':
      return [await prepareAdvance(await sandbox(), workDir, sizes)];
    case 'import_50k':
      return [await prepareImport(workDir, sizes)];
    case 'audit_export_1m':
      return [prepareAuditExport(workDir, sizes)];
    case 'literal_baseline':
      return [];
  }
}

/** Runs one child and returns its measurement, or the error and the tail of its stderr. */
function runChild(jobFile: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD_SCRIPT, [jobFile], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let measured: ChildResult | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (message) => {
      measured = message as ChildResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (measured !== undefined && code === 0) resolve(measured);
      else reject(new Error(`the scenario process exited with ${signal ?? `code ${code}`}\n${stderr.trim()}`));
    });
  });
}

async function runPart(
  settings: Settings,
  scenario: ScenarioName,
  prepare: (sandbox: () => Promise<Sandbox>, workDir: string) => Promise<PreparedPart>,
): Promise<ScenarioReport> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), `bench-${scenario}-`));
  let sandbox: Sandbox | undefined;
  const startOnce = async (): Promise<Sandbox> => {
    sandbox ??= await startSandbox({ seed: 'empty', latencyMs: settings.latencyMs, rateLimitPerMinute: settings.rateLimitPerMinute });
    return sandbox;
  };
  let part: PreparedPart | undefined;
  try {
    part = await prepare(startOnce, workDir);
    const jobFile = path.join(workDir, 'job.json');
    writeFileSync(jobFile, JSON.stringify(part.job));
    const measured = await runChild(jobFile);
    const verified = sandbox === undefined ? { wrong: 0, note: '' } : part.verify(sandbox, measured);
    return judge(scenario, part, measured, verified, settings);
  } catch (error) {
    return {
      name: part?.part ?? scenario,
      scenario,
      error: error instanceof Error ? error.message : String(error),
      failed: part === undefined ? 1 : Math.max(1, part.job.tenants.length),
    } as ScenarioReport;
  } finally {
    await sandbox?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function machine(): Record<string, string | number> {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string' },
      'latency-ms': { type: 'string', default: '40' },
      'rate-limit': { type: 'string' },
    },
  });
  const scenario = values.scenario;
  if (scenario !== undefined && !(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new Error(`unknown scenario "${scenario}"; choose one of ${SCENARIOS.join(', ')}`);
  }
  const latencyMs = Number(values['latency-ms']);
  const rateLimit = Number(values['rate-limit'] ?? (values.quick ? QUICK_RATE_LIMIT : FULL_RATE_LIMIT));
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`--latency-ms must be 0 or more milliseconds, got ${values['latency-ms']}`);
  if (!Number.isInteger(rateLimit) || rateLimit < 10) throw new Error(`--rate-limit must be a whole number of requests per minute, 10 or more; got ${values['rate-limit']}`);
  const settings: Settings = { quick: values.quick, latencyMs, rateLimitPerMinute: rateLimit, sizes: values.quick ? QUICK_SIZES : FULL_SIZES };

  const selected = scenario === undefined ? [...SCENARIOS] : [scenario as ScenarioName];
  const started = performance.now();
  const reports: ScenarioReport[] = [];
  for (const name of selected) {
    if (!values.json) process.stderr.write(`running ${name}...\n`);
    if (name === 'literal_baseline') {
      reports.push(await runPart(settings, name, async (sandbox, workDir) => prepareLiteralBulk(await sandbox(), workDir, settings.sizes)));
      reports.push(await runPart(settings, name, async (sandbox, workDir) => prepareLinkResolution(await sandbox(), workDir, settings.sizes, true)));
      continue;
    }
    reports.push(await runPart(settings, name, async (sandbox, workDir) => (await partsOf(name, sandbox, workDir, settings.sizes))[0] as PreparedPart));
  }

  const failed = reports.reduce((total, report) => total + report.failed, 0);
  const document = {
    machine: machine(),
    settings: {
      mode: settings.quick ? 'quick' : 'full',
      latency_ms: settings.latencyMs,
      rate_limit_per_minute_per_key: settings.rateLimitPerMinute,
      sizes: settings.sizes,
      note:
        'The sandbox counts Ashby calls per tenant; presigned uploads are counted apart. ' +
        'ceiling_items_per_min = keys x rate limit / fewest calls the job needs. ' +
        '"bound" says whether a key sent more calls than one minute of budget (rate_limit) or not (latency): ' +
        'only rate-limit-bound runs measure the ceiling, and a 60-second window lets a run of a few minutes beat it slightly.',
    },
    total_wall_s: Math.round((performance.now() - started) / 100) / 10,
    failed,
    targets_missed: reports.flatMap((report) => (report.targets ?? []).filter((target) => !target.met).map((target) => `${report.name}: ${target.name} ${target.value} (target ${target.target})`)),
    scenarios: reports,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(formatTable(document));
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
