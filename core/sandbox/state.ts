// Everything one running sandbox stores: organisations, API keys, uploads, pagination state,
// faults, rate limits, call counts and the clock offset. The test-only admin routes and the
// methods on the object startSandbox returns both call the operations here.
import type { Clock } from '../clock.js';
import { AdminError } from './errors.js';
import { FaultBook } from './faults.js';
import { randomApiKey } from './ids.js';
import {
  isPermission,
  JOB_STATUSES,
  PERMISSIONS,
  type JobStatus,
  type Permission,
  type StoredApiKey,
  type Tenant,
  UploadRegistry,
} from './model.js';
import { PaginationStore } from './pagination.js';
import { RateLimiter } from './rate-limit.js';
import { demoLikeTenant, emptyTenant, largeTenant, type SeededTenant, type TenantSeed } from './seed.js';
import {
  applicationShape,
  archiveReasonShape,
  candidateShape,
  jobShape,
  sourceShape,
  stageShape,
  userShape,
} from './shapes.js';
import { indexCandidateEmails, touch, unindexCandidateEmails } from './tenant.js';

export interface TenantCredentials {
  name: string;
  apiKey: string;
}

export interface NewTenantRequest {
  name: string;
  seed: TenantSeed;
  /** Number of candidates for the `large` seed (default 1000). */
  candidates?: number;
}

export interface NewKeyOptions {
  /** Module permission names such as `candidatesWrite`; every permission when left out. */
  permissions?: string[];
  confidentialAccess?: boolean;
  title?: string;
}

/** A tenant's records in Ashby's own shapes, for assertions in tests. */
export interface SandboxSnapshot {
  candidates: Record<string, unknown>[];
  applications: Record<string, unknown>[];
  jobs: Record<string, unknown>[];
  interviewStages: Record<string, unknown>[];
  sources: Record<string, unknown>[];
  archiveReasons: Record<string, unknown>[];
  users: Record<string, unknown>[];
}

export interface CallCounts {
  total: number;
  byEndpoint: Record<string, number>;
}

export interface StateOptions {
  clock: Clock;
  rateLimitPerMinute: number | null;
  faultSeed: number;
  incrementalSyncMaxRecords: number;
}

/** The `large` seed is meant for benchmarks; beyond this the sandbox's memory use grows past what a test machine should hold. */
export const MAX_LARGE_CANDIDATES = 200_000;

function checkPermissions(permissions: string[]): Permission[] {
  const unknown = permissions.filter((permission) => !isPermission(permission));
  if (unknown.length > 0) {
    throw new AdminError(400, 'invalid_permission', `Unknown permissions: ${unknown.join(', ')}. Known: ${PERMISSIONS.join(', ')}.`);
  }
  return permissions.filter(isPermission);
}

export class SandboxState {
  readonly tenants = new Map<string, Tenant>();
  private readonly tenantsByName = new Map<string, Tenant>();
  readonly keys = new Map<string, StoredApiKey>();
  readonly uploads = new UploadRegistry();
  readonly pagination: PaginationStore;
  readonly faults: FaultBook;
  readonly limiter: RateLimiter | null;
  private readonly calls = new Map<string, Map<string, number>>();
  private clockOffsetMs = 0;
  /** Called after each change a state file keeps (records, keys, the clock); set by startSandbox's `stateFile` option. */
  onWrite: (() => void) | null = null;

  constructor(private readonly options: StateOptions) {
    this.pagination = new PaginationStore({ incrementalSyncMaxRecords: options.incrementalSyncMaxRecords });
    this.faults = new FaultBook(options.faultSeed);
    this.limiter = options.rateLimitPerMinute === null ? null : new RateLimiter(options.rateLimitPerMinute);
  }

  /** Sandbox time: the injected clock plus every advance made through the clock controls. */
  now(): number {
    return this.options.clock.now() + this.clockOffsetMs;
  }

  advanceClock(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new AdminError(400, 'invalid_clock_advance', `advanceMs must be a non-negative number of milliseconds; got ${ms}.`);
    }
    this.clockOffsetMs += ms;
    this.noteWrite();
    return this.now();
  }

  /** Milliseconds the clock controls have added to the injected clock. */
  clockOffset(): number {
    return this.clockOffsetMs;
  }

  /** Reports a change to stored records, keys or the clock to the state file, when there is one. */
  noteWrite(): void {
    this.onWrite?.();
  }

  /** Loads tenants, keys and the clock offset read from a state file into a state that holds nothing yet. */
  restore(tenants: Tenant[], keys: StoredApiKey[], clockOffsetMs: number): void {
    if (this.tenants.size > 0 || this.keys.size > 0) throw new Error('restore needs a sandbox state without tenants or keys.');
    for (const tenant of tenants) {
      if (this.tenantsByName.has(tenant.name)) throw new Error(`The saved state has two tenants named "${tenant.name}".`);
      this.tenants.set(tenant.id, tenant);
      this.tenantsByName.set(tenant.name, tenant);
    }
    for (const key of keys) this.keys.set(key.key, key);
    this.clockOffsetMs = clockOffsetMs;
  }

  /** Registers a seeded tenant and its first key (full permissions). */
  addSeeded(seeded: SeededTenant): TenantCredentials {
    const { tenant } = seeded;
    if (this.tenantsByName.has(tenant.name)) {
      throw new AdminError(409, 'tenant_exists', `A tenant named "${tenant.name}" already exists; pick another name.`);
    }
    this.tenants.set(tenant.id, tenant);
    this.tenantsByName.set(tenant.name, tenant);
    const apiKey = this.storeKey(tenant, seeded.apiKey ?? randomApiKey(), {
      permissions: [...PERMISSIONS],
      confidentialAccess: seeded.confidentialAccess,
      title: `${tenant.name} sandbox key`,
    });
    return { name: tenant.name, apiKey };
  }

  createTenant(request: NewTenantRequest): TenantCredentials {
    const name = typeof request.name === 'string' ? request.name.trim() : '';
    if (name === '') throw new AdminError(400, 'invalid_tenant', 'name must be a non-empty tenant name.');
    if (this.tenantsByName.has(name)) {
      throw new AdminError(409, 'tenant_exists', `A tenant named "${name}" already exists; pick another name.`);
    }
    const nowMs = this.now();
    switch (request.seed) {
      case 'empty':
        return this.addSeeded(emptyTenant(name, nowMs, false));
      case 'demo-like':
        return this.addSeeded(demoLikeTenant(name, nowMs));
      case 'large': {
        const count = request.candidates ?? 1000;
        if (!Number.isInteger(count) || count < 0 || count > MAX_LARGE_CANDIDATES) {
          throw new AdminError(400, 'invalid_tenant', `candidates must be a whole number from 0 to ${MAX_LARGE_CANDIDATES}; got ${count}.`);
        }
        return this.addSeeded(largeTenant(name, nowMs, count));
      }
      default:
        throw new AdminError(400, 'invalid_tenant', `seed must be empty, demo-like or large; got ${String(request.seed)}.`);
    }
  }

  tenantByName(name: string): Tenant {
    const tenant = this.tenantsByName.get(name);
    if (!tenant) throw new AdminError(404, 'tenant_not_found', `No tenant named "${name}".`);
    return tenant;
  }

  tenantNames(): string[] {
    return [...this.tenantsByName.keys()];
  }

  createKey(tenantName: string, options: NewKeyOptions = {}): string {
    const tenant = this.tenantByName(tenantName);
    return this.storeKey(tenant, randomApiKey(), options);
  }

  private storeKey(tenant: Tenant, key: string, options: NewKeyOptions): string {
    const permissions = checkPermissions(options.permissions ?? [...PERMISSIONS]);
    this.keys.set(key, {
      key,
      tenantId: tenant.id,
      title: options.title ?? `${tenant.name} key`,
      createdAt: new Date(this.now()).toISOString(),
      permissions: new Set(permissions),
      confidentialAccess: options.confidentialAccess ?? false,
      revoked: false,
    });
    this.noteWrite();
    return key;
  }

  private requireKey(apiKey: string): StoredApiKey {
    const key = this.keys.get(apiKey);
    if (!key) throw new AdminError(404, 'key_not_found', 'No such API key in this sandbox.');
    return key;
  }

  revokeKey(apiKey: string): void {
    this.requireKey(apiKey).revoked = true;
    this.noteWrite();
  }

  /** Replaces a key's module permissions (names such as `candidatesWrite`) and optionally its confidential toggle. */
  setKeyPermissions(apiKey: string, permissions: string[], confidentialAccess?: boolean): void {
    const key = this.requireKey(apiKey);
    key.permissions = new Set(checkPermissions(permissions));
    if (confidentialAccess !== undefined) key.confidentialAccess = confidentialAccess;
    this.noteWrite();
  }

  /** Merges two candidates as Ashby's merge does: `from` disappears and its applications move to `into`. */
  mergeCandidates(tenantName: string, fromId: string, intoId: string): void {
    const tenant = this.tenantByName(tenantName);
    const from = tenant.candidates.get(fromId);
    const into = tenant.candidates.get(intoId);
    if (!from) throw new AdminError(404, 'candidate_not_found', `No candidate ${fromId} in "${tenantName}".`);
    if (!into) throw new AdminError(404, 'candidate_not_found', `No candidate ${intoId} in "${tenantName}".`);
    if (from === into) throw new AdminError(400, 'invalid_merge', 'from and into must be different candidates.');

    const nowIso = new Date(this.now()).toISOString();
    unindexCandidateEmails(tenant, from);
    unindexCandidateEmails(tenant, into);
    for (const email of from.emails) {
      if (!into.emails.some((existing) => existing.value.toLowerCase() === email.value.toLowerCase())) into.emails.push(email);
    }
    for (const phone of from.phones) {
      if (!into.phones.some((existing) => existing.value === phone.value)) into.phones.push(phone);
    }
    for (const link of from.socialLinks) {
      if (!into.socialLinks.some((existing) => existing.type === link.type)) into.socialLinks.push(link);
    }
    into.files.push(...from.files);
    into.resume ??= from.resume;
    for (const applicationId of from.applicationIds) {
      const application = tenant.applications.get(applicationId);
      if (!application) continue;
      application.candidateId = into.id;
      into.applicationIds.push(applicationId);
      touch(tenant, application, nowIso);
    }
    tenant.candidates.delete(from.id);
    indexCandidateEmails(tenant, into);
    touch(tenant, into, nowIso);
    this.noteWrite();
  }

  /** Removes a stage from its plan. Lead stages stay, because Ashby does not let a plan drop them. */
  deleteStage(tenantName: string, stageId: string): void {
    const tenant = this.tenantByName(tenantName);
    const stage = tenant.stages.get(stageId);
    if (!stage || stage.deleted) throw new AdminError(404, 'stage_not_found', `No interview stage ${stageId} in "${tenantName}".`);
    if (stage.type === 'Lead') {
      throw new AdminError(409, 'stage_not_removable', `Stage "${stage.title}" is a Lead stage, which Ashby plans cannot remove.`);
    }
    stage.deleted = true;
    this.noteWrite();
  }

  setJobStatus(tenantName: string, jobId: string, status: string): void {
    const tenant = this.tenantByName(tenantName);
    const job = tenant.jobs.get(jobId);
    if (!job) throw new AdminError(404, 'job_not_found', `No job ${jobId} in "${tenantName}".`);
    if (!(JOB_STATUSES as readonly string[]).includes(status)) {
      throw new AdminError(400, 'invalid_status', `status must be one of ${JOB_STATUSES.join(', ')}; got ${status}.`);
    }
    const nowIso = new Date(this.now()).toISOString();
    job.status = status as JobStatus;
    if (status === 'Open') {
      job.openedAt ??= nowIso;
      job.closedAt = null;
    } else if (status === 'Closed' || status === 'Archived') {
      job.closedAt ??= nowIso;
    }
    touch(tenant, job, nowIso);
    this.noteWrite();
  }

  snapshot(tenantName: string): SandboxSnapshot {
    const tenant = this.tenantByName(tenantName);
    return {
      candidates: [...tenant.candidates.values()].map((candidate) => candidateShape(tenant, candidate)),
      applications: [...tenant.applications.values()].map((application) =>
        applicationShape(tenant, application, { includeHistory: true }),
      ),
      jobs: [...tenant.jobs.values()].map((job) => jobShape(tenant, job)),
      interviewStages: [...tenant.stages.values()].filter((stage) => !stage.deleted).map(stageShape),
      sources: [...tenant.sources.values()].map(sourceShape),
      archiveReasons: [...tenant.archiveReasons.values()].map(archiveReasonShape),
      users: [...tenant.users.values()].map(userShape),
    };
  }

  countCall(tenantName: string, endpoint: string): void {
    let counts = this.calls.get(tenantName);
    if (!counts) {
      counts = new Map();
      this.calls.set(tenantName, counts);
    }
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
  }

  callCounts(tenantName: string): CallCounts {
    this.tenantByName(tenantName);
    const counts = this.calls.get(tenantName) ?? new Map<string, number>();
    let total = 0;
    const byEndpoint: Record<string, number> = {};
    for (const [endpoint, count] of counts) {
      byEndpoint[endpoint] = count;
      total += count;
    }
    return { total, byEndpoint };
  }

  /** Zeroes the call counters of one tenant, or of every tenant when `tenantName` is left out. */
  resetCallCounts(tenantName?: string): void {
    if (tenantName === undefined) this.calls.clear();
    else this.calls.delete(tenantName);
  }
}
