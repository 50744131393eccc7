// Audit entries the engine writes for every decision and every Ashby write.
import type Database from 'better-sqlite3';
import type { LifecycleEvent } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { appendAudit } from '../store/repo/audit.js';

export type AuditOutcome = 'ok' | 'skipped' | 'failed' | 'waiting' | 'unknown';

export interface EngineAuditEntry {
  action: string;
  outcome: AuditOutcome;
  message: string;
  clientId?: number | null;
  roleId?: number | null;
  candidateId?: number | null;
  outboxId?: number | null;
  event?: LifecycleEvent | null;
  ashbyCandidateId?: string | null;
  ashbyApplicationId?: string | null;
  ashbyRequestId?: string | null;
  actor?: string;
  details?: Record<string, unknown>;
}

/** Appends an engine entry through the store's audit repository and returns its id. */
export function recordAudit(db: Database.Database, clock: Clock, entry: EngineAuditEntry): number {
  return appendAudit(db, clock, entry).id;
}
