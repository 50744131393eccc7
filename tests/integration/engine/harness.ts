// Shared setup for engine scenario tests: a sandbox over HTTP on port 0, a SQLite data folder in a
// temp dir, console clients, roles and candidates, and helpers to read the sandbox's state.
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createAshbyClient,
  RateLimiterRegistry,
  realSleep,
  type AshbyClient,
} from '../../../core/ashby/index.js';
import { systemClock, isoNow } from '../../../core/clock.js';
import {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineLimits,
} from '../../../core/engine/engine.js';
import { enqueueLifecycleEvent } from '../../../core/engine/enqueue.js';
import { canonicalLinkedIn, normalizeEmail } from '../../../core/engine/identity.js';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import type { LifecycleEvent, PipelineState } from '../../../shared/domain.js';

export const FAST_LIMITS: Partial<SyncEngineLimits> = {
  pollIntervalMs: 10,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  lockTtlMs: 3_000,
  stopTimeoutMs: 3_000,
};

export interface TenantHandle {
  name: string;
  apiKey: string;
  ashby: AshbyClient;
  clientId: number;
}

export interface Harness {
  sandbox: Sandbox;
  db: SqliteDatabase;
  dataDir: string;
  /** Current API key per console client; tests replace it to model a fixed key. */
  keys: Map<number, string>;
  engines: SyncEngine[];
  limiter: RateLimiterRegistry;
  tenant(name?: string): Promise<TenantHandle>;
  engine(limits?: Partial<SyncEngineLimits>, workerId?: string): SyncEngine;
  close(): Promise<void>;
}

let tenantCounter = 0;

export interface HarnessOptions {
  latencyMs?: number;
  /** Divides every wait of the Ashby client and rate limiter (Retry-After, backoff), to keep tests short. */
  timeScale?: number;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ seed: 'empty', latencyMs: options.latencyMs ?? 0 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'engine-test-'));
  mkdirSync(path.join(dataDir, 'resumes'), { recursive: true });
  const db = openDatabase({ file: path.join(dataDir, 'console.sqlite') });
  const keys = new Map<number, string>();
  const engines: SyncEngine[] = [];
  const scale = options.timeScale ?? 1;
  // The Ashby client and limiter see time pass `scale` times faster, so a Retry-After of 2 s
  // costs 2 / scale seconds of real time.
  const origin = Date.now();
  const clientClock = { now: () => origin + (Date.now() - origin) * scale };
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => realSleep(ms / scale, signal);
  const limiter = new RateLimiterRegistry({ sleep, clock: clientClock });

  const harness: Harness = {
    sandbox,
    db,
    dataDir,
    keys,
    engines,
    limiter,
    async tenant(name?: string) {
      tenantCounter += 1;
      const tenantName = name ?? `Client ${tenantCounter}`;
      const credentials = sandbox.addTenant({ name: tenantName, seed: 'empty' });
      const ashby = createAshbyClient({
        baseUrl: sandbox.url,
        apiKey: credentials.apiKey,
        label: tenantName,
      });
      const clientId = insertClient(db, tenantName, sandbox.url);
      keys.set(clientId, credentials.apiKey);
      const sources = await ashby.source.list({});
      const reasons = await ashby.archiveReason.list({});
      const source = sources.results.find((entry) => entry.title === 'Jack & Jill');
      const reason = reasons.results.find((entry) => entry.text === 'Not a fit');
      db.prepare(
        'UPDATE clients SET source_id = ?, source_title = ?, archive_reason_id = ?, archive_reason_text = ? WHERE id = ?',
      ).run(
        source?.id ?? null,
        source?.title ?? null,
        reason?.id ?? null,
        reason?.text ?? null,
        clientId,
      );
      return { name: tenantName, apiKey: credentials.apiKey, ashby, clientId };
    },
    engine(limits = {}, workerId?: string) {
      const engine = createSyncEngine({
        db,
        clock: systemClock,
        credentials: async (clientId) => {
          const apiKey = keys.get(clientId);
          return apiKey === undefined ? null : { baseUrl: sandbox.url, apiKey };
        },
        createClient: (clientOptions) =>
          createAshbyClient({
            ...clientOptions,
            timeoutMs: 400,
            sleep,
            clock: clientClock,
            retry: { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5_000 },
          }),
        limiter,
        resumeDir: path.join(dataDir, 'resumes'),
        limits: { ...FAST_LIMITS, ...limits },
        ...(workerId === undefined ? {} : { workerId }),
      });
      engines.push(engine);
      return engine;
    },
    async close() {
      for (const engine of engines) await engine.stop();
      closeDatabase(db);
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function insertClient(db: SqliteDatabase, name: string, baseUrl: string): number {
  const now = isoNow(systemClock);
  const result = db
    .prepare(
      `INSERT INTO clients (name, base_url, is_sandbox, created_at, updated_at) VALUES (?, ?, 1, ?, ?)`,
    )
    .run(name, baseUrl, now, now);
  return Number(result.lastInsertRowid);
}

export function setClientOptions(
  db: SqliteDatabase,
  clientId: number,
  options: {
    enabledEvents?: LifecycleEvent[];
    reviewBeforePush?: boolean;
    archiveReasonId?: string | null;
  },
): void {
  if (options.enabledEvents !== undefined) {
    db.prepare('UPDATE clients SET enabled_events = ? WHERE id = ?').run(
      JSON.stringify(options.enabledEvents),
      clientId,
    );
  }
  if (options.reviewBeforePush !== undefined) {
    db.prepare('UPDATE clients SET review_before_push = ? WHERE id = ?').run(
      options.reviewBeforePush ? 1 : 0,
      clientId,
    );
  }
  if (options.archiveReasonId !== undefined) {
    db.prepare(
      'UPDATE clients SET archive_reason_id = ?, archive_reason_text = NULL WHERE id = ?',
    ).run(options.archiveReasonId, clientId);
  }
}

let externalCounter = 0;

export function insertRole(
  db: SqliteDatabase,
  clientId: number,
  ashbyJobId: string | null,
  title = 'Software Engineer',
): number {
  externalCounter += 1;
  const now = isoNow(systemClock);
  const result = db
    .prepare(
      `INSERT INTO roles (client_id, external_id, title, ashby_job_id, link_status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      clientId,
      `role-${externalCounter}`,
      title,
      ashbyJobId,
      ashbyJobId === null ? 'unlinked' : 'linked',
      now,
      now,
    );
  return Number(result.lastInsertRowid);
}

export interface CandidateInput {
  name: string;
  email?: string | null;
  linkedin?: string | null;
  phone?: string | null;
  state?: PipelineState;
  resume?: { fileName: string; content: Uint8Array; contentType?: string };
}

export function insertCandidate(
  harness: Harness,
  clientId: number,
  roleId: number,
  input: CandidateInput,
): number {
  externalCounter += 1;
  const now = isoNow(systemClock);
  const email = input.email ?? null;
  const emailKey = email === null ? null : normalizeEmail(email);
  const linkedIn = input.linkedin ?? null;
  const canonical = linkedIn === null ? null : canonicalLinkedIn(linkedIn);
  let sha: string | null = null;
  if (input.resume !== undefined) {
    sha = createHash('sha256').update(input.resume.content).digest('hex');
    writeFileSync(path.join(harness.dataDir, 'resumes', sha), input.resume.content);
  }
  const result = harness.db
    .prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, email, email_key, linkedin_url, linkedin_slug, phone,
         resume_sha256, resume_file_name, resume_size, resume_content_type, state, state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      clientId,
      roleId,
      `cand-${externalCounter}`,
      input.name,
      email,
      emailKey?.ok ? emailKey.key : null,
      canonical?.ok ? canonical.url : linkedIn,
      canonical?.ok ? canonical.slug : null,
      input.phone ?? null,
      sha,
      input.resume?.fileName ?? null,
      input.resume?.content.byteLength ?? null,
      input.resume?.contentType ?? null,
      input.state ?? 'intro_requested',
      now,
      now,
      now,
    );
  return Number(result.lastInsertRowid);
}

export interface SnapshotCandidate {
  id: string;
  name: string;
  emailAddresses: { value: string }[];
  socialLinks: { type: string; url: string }[];
  applicationIds: string[];
  resumeFileHandle?: { name: string } | null;
  source?: { id: string } | null;
}

export interface SnapshotApplication {
  id: string;
  status: string;
  candidate: { id: string };
  job: { id: string };
  currentInterviewStage: { id: string; title: string; type: string };
  source: { id: string; title: string } | null;
  archiveReason: { id: string } | null;
}

export interface Snapshot {
  candidates: SnapshotCandidate[];
  applications: SnapshotApplication[];
  jobs: { id: string; title: string; status: string; defaultInterviewPlanId: string }[];
  interviewStages: { id: string; title: string; type: string; interviewPlanId: string }[];
}

/** Reads a tenant's records through the sandbox's admin route, over HTTP. */
export async function snapshot(sandbox: Sandbox, tenant: string): Promise<Snapshot> {
  const response = await fetch(
    `${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(tenant)}`,
  );
  if (!response.ok)
    throw new Error(`sandbox state for ${tenant} failed with HTTP ${response.status}`);
  return (await response.json()) as Snapshot;
}

export async function addFault(
  sandbox: Sandbox,
  fault: {
    tenant: string;
    endpoint: string;
    kind: string;
    times?: number;
    rate?: number;
    ms?: number;
  },
): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok)
    throw new Error(`adding a fault failed with HTTP ${response.status}: ${await response.text()}`);
}

export async function jobByTitle(
  ashby: AshbyClient,
  title = 'Software Engineer',
): Promise<{ id: string; stages: { id: string; title: string; type: string }[] }> {
  const jobs = await ashby.job.list({ status: ['Open', 'Closed'] });
  const job = jobs.results.find((entry) => entry.title === title);
  if (job === undefined) throw new Error(`no job titled ${title}`);
  const plan = await ashby.jobInterviewPlan.info({ jobId: job.id });
  return {
    id: job.id,
    stages: plan.results.stages.map((stage) => ({
      id: stage.id,
      title: stage.title,
      type: stage.type,
    })),
  };
}

export function stageId(job: { stages: { id: string; title: string }[] }, title: string): string {
  const stage = job.stages.find((entry) => entry.title === title);
  if (stage === undefined) throw new Error(`no stage titled ${title}`);
  return stage.id;
}

export function enqueue(
  harness: Harness,
  input: {
    clientId: number;
    roleId: number;
    candidateId: number;
    event: LifecycleEvent;
    runId?: number;
  },
): number {
  return enqueueLifecycleEvent(harness.db, systemClock, {
    ...input,
    origin: 'action',
    runId: input.runId ?? null,
  });
}

export interface OutboxView {
  id: number;
  status: string;
  reason_code: string | null;
  reason: string | null;
  progress: string;
}

export function outboxItem(db: SqliteDatabase, id: number): OutboxView {
  return db
    .prepare('SELECT id, status, reason_code, reason, progress FROM outbox WHERE id = ?')
    .get(id) as OutboxView;
}

export function auditMessages(db: SqliteDatabase, candidateId: number): string[] {
  return (
    db
      .prepare('SELECT message FROM audit_log WHERE candidate_id = ? ORDER BY id')
      .all(candidateId) as { message: string }[]
  ).map((row) => row.message);
}
