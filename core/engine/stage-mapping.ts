// The stored event → stage mapping of a role (`roles.stage_mapping`). Unless an admin chose a stage,
// a push goes to the stage stored when the role was linked, so a stage deleted in Ashby parks the
// push instead of sending it to whichever stage the plan now puts first.
import type Database from 'better-sqlite3';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';
import { getRole, parseJson, type RoleRow } from './rows.js';
import { targetStage, type PlanStage, type StageOverrides, type StageTarget } from './stages.js';

/** A stored stage: its id, and its title for messages once Ashby no longer has it. */
export interface StoredStage {
  id: string;
  title: string;
}

export type StoredStageMapping = Partial<Record<LifecycleEvent, StoredStage>>;

export type RoleStageTarget =
  StageTarget | { ok: false; code: 'mapped_stage_missing'; reason: string };

/** Event names as the screens show them, for messages an admin reads. */
const EVENT_NAMES: Record<LifecycleEvent, string> = {
  shortlist: 'Shortlist',
  request_intro: 'Request intro',
  complete_intro: 'Complete intro',
  archive: 'Archive',
  hire: 'Hire',
};

export function storedStageMapping(role: RoleRow): StoredStageMapping {
  return parseJson<StoredStageMapping>(role.stage_mapping, {});
}

function overridesOf(role: RoleRow): StageOverrides {
  return parseJson<StageOverrides>(role.stage_overrides, {});
}

/**
 * Resolves the stage `event` targets on `role`, given the job's current `stages`. An admin
 * override wins. Without one, the stored mapping wins over the plan's default, and a stored
 * stage that is gone from the plan is reported rather than replaced by the new default. An event
 * with no stored stage falls back to the default; `rememberStage` stores it on first use.
 */
export function resolveRoleStage(
  event: LifecycleEvent,
  role: RoleRow,
  stages: readonly PlanStage[],
): RoleStageTarget {
  const overrides = overridesOf(role);
  const stored = storedStageMapping(role)[event];
  if (overrides[event] !== undefined || stored === undefined) {
    return targetStage(event, stages, overrides);
  }
  const stage = stages.find((candidate) => candidate.id === stored.id);
  if (stage === undefined) {
    const name = EVENT_NAMES[event];
    return {
      ok: false,
      code: 'mapped_stage_missing',
      reason: `stage "${stored.title}" mapped for ${name} on role "${role.title}" no longer exists in Ashby; choose a stage for ${name} on the role`,
    };
  }
  return { ok: true, stage, source: 'plan' };
}

function writeMapping(
  db: Database.Database,
  clock: Clock,
  roleId: number,
  mapping: StoredStageMapping,
): void {
  db.prepare('UPDATE roles SET stage_mapping = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(mapping),
    isoNow(clock),
    roleId,
  );
}

/**
 * Stores `stage` as the mapping of `event` on the role, or removes the entry when `stage` is null
 * so the next push resolves it again.
 */
export function storeStage(
  db: Database.Database,
  clock: Clock,
  roleId: number,
  event: LifecycleEvent,
  stage: StoredStage | null,
): void {
  const role = getRole(db, roleId);
  if (role === undefined) return;
  const mapping = storedStageMapping(role);
  if (stage === null) delete mapping[event];
  else mapping[event] = { id: stage.id, title: stage.title };
  writeMapping(db, clock, roleId, mapping);
}

/** Stores `stage` for `event` unless the role already has a stored stage for it. */
export function rememberStage(
  db: Database.Database,
  clock: Clock,
  roleId: number,
  event: LifecycleEvent,
  stage: StoredStage,
): void {
  const role = getRole(db, roleId);
  if (role === undefined || storedStageMapping(role)[event] !== undefined) return;
  storeStage(db, clock, roleId, event, stage);
}

/**
 * Stores the resolved stage of every event that has none stored yet, from the job's `stages`.
 * Events whose stage cannot be resolved stay unstored, so they are resolved on first use.
 */
export function rememberAllStages(
  db: Database.Database,
  clock: Clock,
  roleId: number,
  stages: readonly PlanStage[],
): void {
  const role = getRole(db, roleId);
  if (role === undefined) return;
  const mapping = storedStageMapping(role);
  for (const event of LIFECYCLE_EVENTS) {
    if (mapping[event] !== undefined) continue;
    const target = targetStage(event, stages, overridesOf(role));
    if (target.ok) mapping[event] = { id: target.stage.id, title: target.stage.title };
  }
  writeMapping(db, clock, roleId, mapping);
}
