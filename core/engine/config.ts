// Settings of the sync engine: how it reaches Ashby, its limits and where it finds resumes.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { AshbyClient, RateLimiterRegistry } from '../ashby/index.js';
import type { Clock } from '../clock.js';
import type { ResumeStore } from './process-item.js';

export interface AshbyConnection {
  baseUrl: string;
  apiKey: string;
}

export interface CreateClientOptions extends AshbyConnection {
  label: string;
  limiter: RateLimiterRegistry;
}

export interface SyncEngineLimits {
  /** Items claimed per client at a time; plans and the index are checked for freshness once per batch. */
  batchSize: number;
  /** Items of one client in flight at once (items for the same person never run in parallel). */
  perClientConcurrency: number;
  /** Clients served at once; the rest wait their turn, least recently served first. */
  maxActiveClients: number;
  leaseMs: number;
  lockTtlMs: number;
  pollIntervalMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long stop() waits for in-flight writes before it aborts them. */
  stopTimeoutMs: number;
  /** Calls assumed for building the index of a tenant never read, when choosing a lookup strategy. */
  unknownTenantPages: number;
  /** Candidates per transaction in link resolution and bulk enqueue. */
  chunkSize: number;
  /** How long a job's interview plan is trusted before a batch reads it again. */
  planMaxAgeMs: number;
  /**
   * How long the Ashby index (candidates, applications per job) is trusted before a batch reads
   * the changes again. A failed write, a restart and link resolution read it sooner.
   */
  indexMaxAgeMs: number;
}

export const DEFAULT_LIMITS: SyncEngineLimits = {
  batchSize: 100,
  perClientConcurrency: 4,
  maxActiveClients: 8,
  leaseMs: 120_000,
  lockTtlMs: 15_000,
  pollIntervalMs: 250,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  stopTimeoutMs: 10_000,
  unknownTenantPages: 10,
  chunkSize: 100,
  planMaxAgeMs: 10 * 60_000,
  indexMaxAgeMs: 5 * 60_000,
};

export interface SyncEngineOptions {
  db: Database.Database;
  clock: Clock;
  logger?: Logger;
  credentials: (clientId: number) => Promise<AshbyConnection | null>;
  /** Builds the Ashby client for one key; defaults to createAshbyClient. */
  createClient?: (options: CreateClientOptions) => AshbyClient;
  workerId?: string;
  limits?: Partial<SyncEngineLimits>;
  /** Folder holding resumes as `<sha256>` files (the data folder's `resumes/`). */
  resumeDir?: string;
  resumes?: ResumeStore;
  /** Shared rate-limiter registry; one per process lets a partner-scope 429 slow every client. */
  limiter?: RateLimiterRegistry;
}
