// Data-folder setup shared by the benchmark and the chaos run: console clients backed by sandbox
// keys, pipeline exports written as CSV, and the real sync engine wired to the sandbox.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createAshbyClient, RateLimiterRegistry, type AshbyCallEvent, type AshbyClient } from '../../core/ashby/index.js';
import { systemClock } from '../../core/clock.js';
import { createSyncEngine, type SyncEngine, type SyncEngineLimits } from '../../core/engine/engine.js';
import { CSV_COLUMNS } from '../../core/pipeline/format.js';
import { renderResumePdf } from '../../core/pipeline/pdf.js';
import { createClient, getClientByName, updateClientSettings } from '../../core/store/repo/clients.js';
import type { SqliteDatabase } from '../../core/store/db.js';
import type { PipelineState } from '../../shared/domain.js';

/** What the console needs to know about one sandbox tenant, read once by the parent process. */
export interface TenantInfo {
  name: string;
  apiKey: string;
  sourceId: string;
  sourceTitle: string;
  archiveReasonId: string;
  archiveReasonText: string;
  jobId: string;
}

export interface PipelineRow {
  roleId: string;
  roleTitle: string;
  candidateId: string;
  name: string;
  email: string | null;
  linkedinUrl?: string | null;
  /** Path relative to the CSV file. */
  resumePath: string | null;
  state: PipelineState;
  stateChangedAt: string;
}

/** Writes a Jack & Jill CSV export with the documented columns. */
export function writePipelineCsv(file: string, rows: readonly PipelineRow[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const records = rows.map((row) => [
    row.roleId,
    row.roleTitle,
    row.candidateId,
    row.name,
    row.email ?? '',
    row.linkedinUrl ?? '',
    '',
    row.resumePath ?? '',
    row.state,
    row.stateChangedAt,
  ]);
  writeFileSync(file, `${CSV_COLUMNS.join(',')}\n${stringify(records)}`);
}

/** Writes `count` small distinct PDF resumes into `folder` and returns their file names. */
export function writeResumes(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true });
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = `resume-${String(index).padStart(4, '0')}.pdf`;
    const pdf = renderResumePdf({
      name: `Benchmark Candidate ${index}`,
      headline: 'Software professional',
      contact: [`bench-${index}@example.com`],
      sections: [{ title: 'Experience', lines: ['Written by the benchmark fixture.'] }],
    });
    writeFileSync(path.join(folder, name), pdf);
    names.push(name);
  }
  return names;
}

/** Inserts a sandbox-backed console client with the tenant's source and archive reason chosen. */
export function addConsoleClient(db: SqliteDatabase, baseUrl: string, tenant: TenantInfo): number {
  const existing = getClientByName(db, tenant.name);
  if (existing !== null) return existing.id;
  const client = createClient(db, systemClock, { name: tenant.name, baseUrl, isSandbox: true, sandboxApiKey: tenant.apiKey });
  updateClientSettings(db, systemClock, client.id, {
    sourceId: tenant.sourceId,
    sourceTitle: tenant.sourceTitle,
    archiveReasonId: tenant.archiveReasonId,
    archiveReasonText: tenant.archiveReasonText,
  });
  return client.id;
}

export interface EngineOptions {
  db: SqliteDatabase;
  dataDir: string;
  /** One registry for every client of the process, as the app wires it. */
  limiter: RateLimiterRegistry;
  /** Per-attempt timeout of Ashby calls; the client's default when left out. */
  timeoutMs?: number;
  limits?: Partial<SyncEngineLimits>;
  workerId?: string;
  /** Sees every HTTP attempt of every client the engine creates. */
  onResponse?: (event: AshbyCallEvent) => void;
}

/** Creates the real engine, reading each client's key from its sandbox key column. */
export function createBenchEngine(options: EngineOptions): SyncEngine {
  const { db } = options;
  return createSyncEngine({
    db,
    clock: systemClock,
    credentials: async (clientId) => {
      const row = db.prepare('SELECT base_url, sandbox_api_key FROM clients WHERE id = ?').get(clientId) as
        | { base_url: string; sandbox_api_key: string | null }
        | undefined;
      if (row === undefined || row.sandbox_api_key === null) return null;
      return { baseUrl: row.base_url, apiKey: row.sandbox_api_key };
    },
    createClient: (clientOptions) =>
      createAshbyClient({
        ...clientOptions,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.onResponse === undefined ? {} : { onResponse: options.onResponse }),
      }),
    limiter: options.limiter,
    resumeDir: path.join(options.dataDir, 'resumes'),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
  });
}

/** Reads the ids the console needs from a tenant: the Jack & Jill source, an archive reason and a job. */
export async function readTenantInfo(baseUrl: string, name: string, apiKey: string, jobTitle = 'Software Engineer'): Promise<TenantInfo> {
  const ashby: AshbyClient = createAshbyClient({ baseUrl, apiKey, label: name });
  const sources = await ashby.source.list({});
  const reasons = await ashby.archiveReason.list({});
  const jobs = await ashby.job.list({ status: ['Open'] });
  const source = sources.results.find((entry) => entry.title === 'Jack & Jill');
  const reason = reasons.results.find((entry) => entry.text === 'Not a fit');
  const job = jobs.results.find((entry) => entry.title === jobTitle);
  if (source === undefined || reason === undefined || job === undefined) {
    throw new Error(`tenant "${name}" is missing the Jack & Jill source, the "Not a fit" reason or an open "${jobTitle}" job`);
  }
  return {
    name,
    apiKey,
    sourceId: source.id,
    sourceTitle: source.title ?? 'Jack & Jill',
    archiveReasonId: reason.id,
    archiveReasonText: reason.text ?? 'Not a fit',
    jobId: job.id,
  };
}

/** Returns the console id of the client's role with external id `externalId`. */
export function roleIdOf(db: SqliteDatabase, clientId: number, externalId: string): number {
  const row = db.prepare('SELECT id FROM roles WHERE client_id = ? AND external_id = ?').get(clientId, externalId) as { id: number } | undefined;
  if (row === undefined) throw new Error(`role ${externalId} of client ${clientId} was not imported`);
  return row.id;
}
