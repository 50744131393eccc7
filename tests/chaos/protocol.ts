// The files and messages shared by the chaos run's parent and its engine process.
import path from 'node:path';
import type { SyncEngineLimits } from '../../core/engine/engine.js';
import type { TenantInfo } from '../bench/fixture.js';

export interface ChaosJob {
  sandboxUrl: string;
  workDir: string;
  tenants: TenantInfo[];
  exports: { first: string; second: string }[];
  roleExternalId: string;
  /** Per-attempt timeout of Ashby calls; the sandbox's timeout fault keeps a request open until then. */
  callTimeoutMs: number;
  limits: Partial<SyncEngineLimits>;
}

export const PHASES = ['clients', 'import_1', 'link', 'bulk_push', 'import_2'] as const;
export type Phase = (typeof PHASES)[number];

/** Progress sent to the parent, which picks its kill moments from it. */
export interface ChaosProgress {
  phase: Phase | 'finished';
  /** Outbox items done so far. */
  done: number;
}

/** Failed attempts the engine saw, by the fault that most likely caused them. */
export type ObservedFaults = Record<'rate_limit' | 'http_5xx' | 'timeout' | 'connection_dropped', number>;

/** Returns the fault-count file of one engine process, so a killed process's counts outlive it (up to the last write). */
export function faultsFile(workDir: string, pid: number): string {
  return path.join(workDir, `faults-${pid}.json`);
}

export function markerFile(workDir: string): string {
  return path.join(workDir, 'phases.json');
}

