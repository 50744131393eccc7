// The messages between the benchmark's parent process (which runs the sandbox) and each
// scenario's child process (which runs the console side and measures it).
import type { TenantInfo } from './fixture.js';

export const SCENARIOS = [
  'bulk_new',
  'bulk_new_5_clients',
  'link_resolution',
  'advance',
  'import_50k',
  'audit_export_1m',
  'literal_baseline',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What one child process runs; `literal_baseline` runs as two children, one per part. */
export type ChildKind =
  | 'engine_bulk'
  | 'engine_link'
  | 'engine_advance'
  | 'import'
  | 'audit_export'
  | 'literal_bulk'
  | 'literal_link';

export interface ChildJob {
  kind: ChildKind;
  sandboxUrl: string;
  /** Folder the parent prepared: exports, resumes, and the data folder the child creates. */
  workDir: string;
  tenants: TenantInfo[];
  /** Per tenant, the export imported before the measured phase (and the one that moves candidates, for advance). */
  exports: { first: string; second?: string }[];
  roleExternalId: string;
  /** People of the literal scenarios, in push order. */
  peopleFile?: string;
  auditEntries?: number;
}

export interface ChildResult {
  wall_s: number;
  items: number;
  ashby_calls: number;
  /** Uploads to presigned URLs: counted apart, because they are not Ashby API calls. */
  presigned_uploads: number;
  calls_by_endpoint: Record<string, number>;
  /** Items the child saw fail (outbox items not done, rows rejected, calls that threw). */
  failed: number;
  event_loop_lag_p99_ms: number;
  /** Maximum event-loop delay of the phase: a single freeze that p99 would hide. */
  event_loop_lag_max_ms: number;
  peak_rss_mb: number;
  detail: Record<string, number | string>;
}

export interface Person {
  name: string;
  email: string;
  /** Absolute path of the resume file, if the person has one. */
  resumeFile: string | null;
}
