// Row shapes the engine reads from the shared tables, and the small queries it needs on them.
import type Database from 'better-sqlite3';
import type { LifecycleEvent, OutboxStatus } from '../../shared/domain.js';
import { prepareCached } from '../store/statements.js';

export interface ClientRow {
  id: number;
  name: string;
  base_url: string;
  status: string;
  status_reason: string | null;
  disconnected_by_user: number;
  enabled_events: string;
  source_id: string | null;
  source_title: string | null;
  archive_reason_id: string | null;
  archive_reason_text: string | null;
  review_before_push: number;
}

export interface RoleRow {
  id: number;
  client_id: number;
  title: string;
  ashby_job_id: string | null;
  ashby_job_title: string | null;
  link_status: string;
  stage_overrides: string;
  /** JSON of `StoredStageMapping` (see stage-mapping.ts). */
  stage_mapping: string;
}

export interface CandidateRow {
  id: number;
  client_id: number;
  role_id: number;
  name: string;
  email: string | null;
  linkedin_url: string | null;
  phone: string | null;
  resume_sha256: string | null;
  resume_file_name: string | null;
  resume_size: number | null;
  resume_content_type: string | null;
  /** Why the import rejected the candidate's resume file; null when it did not. */
  resume_problem: string | null;
  state: string;
  ashby_status: string;
  ashby_candidate_id: string | null;
  ashby_application_id: string | null;
}

export interface OutboxRow {
  id: number;
  client_id: number;
  role_id: number;
  candidate_id: number;
  event: LifecycleEvent;
  origin: string;
  run_id: number | null;
  status: OutboxStatus;
  reason_code: string | null;
  reason: string | null;
  attempts: number;
  next_attempt_at: string | null;
  progress: string;
  created_at: string;
  updated_at: string;
}

export function getClient(db: Database.Database, clientId: number): ClientRow | undefined {
  return prepareCached(db, 'SELECT * FROM clients WHERE id = ?').get(clientId) as
    ClientRow | undefined;
}

export function getRole(db: Database.Database, roleId: number): RoleRow | undefined {
  return prepareCached(db, 'SELECT * FROM roles WHERE id = ?').get(roleId) as RoleRow | undefined;
}

export function getCandidate(db: Database.Database, candidateId: number): CandidateRow | undefined {
  return prepareCached(db, 'SELECT * FROM candidates WHERE id = ?').get(candidateId) as
    CandidateRow | undefined;
}

export function getOutboxItem(db: Database.Database, outboxId: number): OutboxRow | undefined {
  return prepareCached(db, 'SELECT * FROM outbox WHERE id = ?').get(outboxId) as
    OutboxRow | undefined;
}

/** Parses a JSON column, returning `fallback` for a value that is not valid JSON. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function enabledEvents(client: ClientRow): LifecycleEvent[] {
  return parseJson<LifecycleEvent[]>(client.enabled_events, []);
}
