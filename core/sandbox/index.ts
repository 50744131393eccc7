// Local imitation of Ashby's public API for tests, the demo and benchmarks. It does not import
// the Ashby client, so the two can check each other.
import { systemClock, type Clock } from '../clock.js';
import { createLogger, type Logger } from '../log/logger.js';
import type { FaultRequest, FaultRule } from './faults.js';
import { demoTenants, emptyTenant, type StartSeed } from './seed.js';
import { SandboxServer } from './server.js';
import { DEFAULT_STATE_SAVE_DELAY_MS, readStateFile, restoreState, serialiseState, StateFileWriter } from './state-file.js';
import {
  SandboxState,
  type CallCounts,
  type NewKeyOptions,
  type NewTenantRequest,
  type SandboxSnapshot,
  type TenantCredentials,
} from './state.js';

export type { CallCounts, FaultRequest, FaultRule, NewKeyOptions, NewTenantRequest, SandboxSnapshot, TenantCredentials };
export type { FaultKind } from './faults.js';
export { FAULT_KINDS } from './faults.js';
export { PERMISSIONS, type Permission } from './model.js';
export type { StartSeed, TenantSeed } from './seed.js';
export { UPLOAD_ENDPOINT } from './server.js';
export { SandboxStateFileError } from './state-file.js';

/** Name of the single tenant of the `empty` seed. */
export const EMPTY_SEED_TENANT = 'Sandbox Org';

/** Default cap for incremental syncs before `incremental_sync_too_large`; Ashby does not publish its own. */
export const DEFAULT_INCREMENTAL_SYNC_MAX_RECORDS = 5000;

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** `demo` (three client organisations, the default) or `empty` (one organisation, no candidates). */
  seed?: StartSeed;
  /** Delay added to every Ashby API call, in milliseconds. */
  latencyMs?: number;
  /** Requests per minute allowed per API key; no limit when left out. */
  rateLimitPerMinute?: number;
  /** Time source; the clock controls add an offset on top of it. */
  clock?: Clock;
  /** Seed of the PRNG that decides which calls a fault with `rate` hits. */
  faultSeed?: number;
  /** An incremental sync returning more records than this fails with `incremental_sync_too_large`. */
  incrementalSyncMaxRecords?: number;
  /**
   * JSON file that keeps tenants, keys, records and the clock offset across starts. When it exists,
   * the sandbox starts from it and `seed` is not used; otherwise the seed is saved to it. Writes are
   * saved after `stateSaveDelayMs` and on `close()`.
   */
  stateFile?: string;
  /** Wait after a write before the state file is saved, in milliseconds (default 200). */
  stateSaveDelayMs?: number;
  logger?: Logger;
}

export interface Sandbox {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43127`. */
  url: string;
  /** The seeded tenants and their full-permission keys. */
  tenants: TenantCredentials[];
  /** True when the records came from `stateFile`; false when they came from the seed. */
  restored: boolean;
  /** Stops the server, then saves the state file, if there is one. */
  close(): Promise<void>;

  /** Sandbox time in epoch milliseconds. */
  now(): number;
  /** Moves sandbox time forward; returns the new time. */
  advanceClock(ms: number): number;

  state(tenant: string): SandboxSnapshot;
  addTenant(request: NewTenantRequest): TenantCredentials;
  createKey(tenant: string, options?: NewKeyOptions): string;
  revokeKey(apiKey: string): void;
  setKeyPermissions(apiKey: string, permissions: string[], confidentialAccess?: boolean): void;
  addFault(fault: FaultRequest): number;
  clearFaults(tenant?: string): void;
  mergeCandidates(tenant: string, from: string, into: string): void;
  deleteStage(tenant: string, interviewStageId: string): void;
  setJobStatus(tenant: string, jobId: string, status: string): void;
  callCounts(tenant: string): CallCounts;
  resetCallCounts(tenant?: string): void;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const logger = options.logger ?? createLogger('sandbox');
  const state = new SandboxState({
    clock: options.clock ?? systemClock,
    rateLimitPerMinute: options.rateLimitPerMinute ?? null,
    faultSeed: options.faultSeed ?? 1,
    incrementalSyncMaxRecords: options.incrementalSyncMaxRecords ?? DEFAULT_INCREMENTAL_SYNC_MAX_RECORDS,
  });

  const seed = options.seed ?? 'demo';
  const saved = options.stateFile === undefined ? null : await readStateFile(options.stateFile);
  let tenants: TenantCredentials[];
  if (saved !== null) {
    tenants = restoreState(state, saved);
  } else {
    const seeded = seed === 'demo' ? demoTenants(state.now()) : [emptyTenant(EMPTY_SEED_TENANT, state.now(), true)];
    tenants = seeded.map((tenant) => state.addSeeded(tenant));
  }

  const server = new SandboxServer({ state, latencyMs: options.latencyMs ?? 0, logger });
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');

  let writer: StateFileWriter | null = null;
  if (options.stateFile !== undefined) {
    const delayMs = options.stateSaveDelayMs ?? DEFAULT_STATE_SAVE_DELAY_MS;
    const stateWriter = new StateFileWriter(options.stateFile, () => serialiseState(state, tenants), delayMs, logger);
    state.onWrite = () => stateWriter.schedule();
    writer = stateWriter;
    // Saved only once listening works, so a start that fails on a taken port leaves no seeded file
    // behind that a retry would take for saved records.
    if (saved === null) {
      try {
        await stateWriter.save();
      } catch (error) {
        await server.close();
        throw error;
      }
    }
  }
  const restoredFrom = saved === null ? null : options.stateFile;
  logger.info({ url, seed: saved === null ? seed : null, restoredFrom, tenants: tenants.map((tenant) => tenant.name) }, 'sandbox started');

  return {
    url,
    tenants,
    restored: saved !== null,
    close: async () => {
      await server.close();
      if (writer !== null) await writer.close();
      logger.info({ url }, 'sandbox stopped');
    },
    now: () => state.now(),
    advanceClock: (ms) => state.advanceClock(ms),
    state: (tenant) => state.snapshot(tenant),
    addTenant: (request) => state.createTenant(request),
    createKey: (tenant, keyOptions) => state.createKey(tenant, keyOptions),
    revokeKey: (apiKey) => state.revokeKey(apiKey),
    setKeyPermissions: (apiKey, permissions, confidentialAccess) =>
      state.setKeyPermissions(apiKey, permissions, confidentialAccess),
    addFault: (fault) => state.faults.add(fault).id,
    clearFaults: (tenant) => state.faults.clear(tenant),
    mergeCandidates: (tenant, from, into) => state.mergeCandidates(tenant, from, into),
    deleteStage: (tenant, interviewStageId) => state.deleteStage(tenant, interviewStageId),
    setJobStatus: (tenant, jobId, status) => state.setJobStatus(tenant, jobId, status),
    callCounts: (tenant) => state.callCounts(tenant),
    resetCallCounts: (tenant) => state.resetCallCounts(tenant),
  };
}
