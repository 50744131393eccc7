// Roles: a Jack & Jill role of one client, and its link to an Ashby job and interview plan.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { LifecycleEvent } from '../../../shared/domain.js';
import { isoNow, type Clock } from '../../clock.js';
import { StoreNotFoundError } from '../errors.js';
import { buildAssignments, parseJsonColumn } from './rows.js';

export const ROLE_LINK_STATUSES = ['unlinked', 'resolving', 'linked', 'needs_attention'] as const;
export const RoleLinkStatus = z.enum(ROLE_LINK_STATUSES);
export type RoleLinkStatus = z.infer<typeof RoleLinkStatus>;

/** Ashby interview stage id chosen by an admin for a lifecycle event, overriding the default mapping. */
export const StageOverrides = z.partialRecord(LifecycleEvent, z.string().min(1));
export type StageOverrides = z.infer<typeof StageOverrides>;

export interface Role {
  id: number;
  clientId: number;
  externalId: string;
  title: string;
  ashbyJobId: string | null;
  ashbyJobTitle: string | null;
  ashbyInterviewPlanId: string | null;
  linkStatus: RoleLinkStatus;
  linkStatusReason: string | null;
  stageOverrides: StageOverrides;
  createdAt: string;
  updatedAt: string;
}

export interface RoleLink {
  ashbyJobId: string;
  ashbyJobTitle: string | null;
  ashbyInterviewPlanId: string | null;
}

interface RoleRow {
  id: number;
  client_id: number;
  external_id: string;
  title: string;
  ashby_job_id: string | null;
  ashby_job_title: string | null;
  ashby_interview_plan_id: string | null;
  link_status: string;
  link_status_reason: string | null;
  stage_overrides: string;
  created_at: string;
  updated_at: string;
}

function toRole(row: RoleRow): Role {
  return {
    id: row.id,
    clientId: row.client_id,
    externalId: row.external_id,
    title: row.title,
    ashbyJobId: row.ashby_job_id,
    ashbyJobTitle: row.ashby_job_title,
    ashbyInterviewPlanId: row.ashby_interview_plan_id,
    linkStatus: RoleLinkStatus.parse(row.link_status),
    linkStatusReason: row.link_status_reason,
    stageOverrides: parseJsonColumn(StageOverrides, row.stage_overrides, `roles.stage_overrides of role ${row.id}`),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Inserts the role, or updates its title when (clientId, externalId) already exists, and returns
 * it. Link fields and stage overrides of an existing role are kept.
 */
export function upsertRole(
  db: Database.Database,
  clock: Clock,
  input: { clientId: number; externalId: string; title: string },
): Role {
  const now = isoNow(clock);
  const row = db
    .prepare(
      `INSERT INTO roles (client_id, external_id, title, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (client_id, external_id) DO UPDATE SET
         title = excluded.title,
         updated_at = CASE WHEN roles.title = excluded.title THEN roles.updated_at ELSE excluded.updated_at END
       RETURNING *`,
    )
    .get(input.clientId, input.externalId, input.title, now, now) as RoleRow;
  return toRole(row);
}

export function getRole(db: Database.Database, id: number): Role | null {
  const row = db.prepare('SELECT * FROM roles WHERE id = ?').get(id) as RoleRow | undefined;
  return row ? toRole(row) : null;
}

/** Returns the role with this id or throws StoreNotFoundError. */
export function requireRole(db: Database.Database, id: number): Role {
  const role = getRole(db, id);
  if (!role) throw new StoreNotFoundError('Role', 'roles', id);
  return role;
}

export function getRoleByExternalId(db: Database.Database, clientId: number, externalId: string): Role | null {
  const row = db
    .prepare('SELECT * FROM roles WHERE client_id = ? AND external_id = ?')
    .get(clientId, externalId) as RoleRow | undefined;
  return row ? toRole(row) : null;
}

/** Returns the client's roles sorted by title. */
export function listRolesByClient(db: Database.Database, clientId: number): Role[] {
  const rows = db
    .prepare('SELECT * FROM roles WHERE client_id = ? ORDER BY title COLLATE NOCASE, id')
    .all(clientId) as RoleRow[];
  return rows.map(toRole);
}

function updateColumns(db: Database.Database, clock: Clock, id: number, columns: Record<string, unknown>): Role {
  const assignments = buildAssignments({ ...columns, updated_at: isoNow(clock) });
  const row = db
    .prepare(`UPDATE roles SET ${assignments.sql} WHERE id = ? RETURNING *`)
    .get(...assignments.params, id) as RoleRow | undefined;
  if (!row) throw new StoreNotFoundError('Role', 'roles', id);
  return toRole(row);
}

/** Links the role to an Ashby job and marks it `linked`. */
export function linkRole(db: Database.Database, clock: Clock, id: number, link: RoleLink): Role {
  return updateColumns(db, clock, id, {
    ashby_job_id: link.ashbyJobId,
    ashby_job_title: link.ashbyJobTitle,
    ashby_interview_plan_id: link.ashbyInterviewPlanId,
    link_status: 'linked',
    link_status_reason: null,
  });
}

/** Removes the role's Ashby link. Stage overrides are cleared too: they name stages of the old plan. */
export function unlinkRole(db: Database.Database, clock: Clock, id: number): Role {
  return updateColumns(db, clock, id, {
    ashby_job_id: null,
    ashby_job_title: null,
    ashby_interview_plan_id: null,
    link_status: 'unlinked',
    link_status_reason: null,
    stage_overrides: '{}',
  });
}

/** Sets the link status, for example `needs_attention` with a reason when the job was closed in Ashby. */
export function setRoleLinkStatus(
  db: Database.Database,
  clock: Clock,
  id: number,
  status: RoleLinkStatus,
  reason: string | null,
): Role {
  return updateColumns(db, clock, id, { link_status: status, link_status_reason: reason });
}

/** Replaces the role's stage overrides with `overrides` (validated). */
export function setStageOverrides(db: Database.Database, clock: Clock, id: number, overrides: StageOverrides): Role {
  const parsed = StageOverrides.parse(overrides);
  return updateColumns(db, clock, id, { stage_overrides: JSON.stringify(parsed) });
}
