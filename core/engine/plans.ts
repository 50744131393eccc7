// Cached interview plans of linked jobs, the per-role stage mapping, and the planned effect of a
// queued push, all computable without a connection.
import type Database from 'better-sqlite3';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '../../shared/domain.js';
import { isoNow, type Clock } from '../clock.js';
import { prepareCached } from '../store/statements.js';
import { findByIdentity, findIndexedApplication } from './ashby-index.js';
import { API_CREATED_APPLICATION_NOTE } from './help.js';
import type { JobPlan } from './ashby-port.js';
import { candidateIdentity } from './process-item.js';
import { readProgress } from './outbox-store.js';
import {
  enabledEvents,
  getCandidate,
  getClient,
  getOutboxItem,
  getRole,
  parseJson,
} from './rows.js';
import { resolveRoleStage } from './stage-mapping.js';
import { decideMove, type PlanStage } from './stages.js';

export function saveJobPlan(
  db: Database.Database,
  clock: Clock,
  clientId: number,
  plan: JobPlan,
): void {
  prepareCached(
    db,
    `INSERT INTO ashby_job_plans (client_id, ashby_job_id, job_title, job_status, interview_plan_id, stages, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (client_id, ashby_job_id) DO UPDATE SET job_title = excluded.job_title, job_status = excluded.job_status,
       interview_plan_id = excluded.interview_plan_id, stages = excluded.stages, fetched_at = excluded.fetched_at`,
  ).run(
    clientId,
    plan.jobId,
    plan.title,
    plan.status,
    plan.interviewPlanId,
    JSON.stringify(plan.stages),
    isoNow(clock),
  );
}

export function cachedJobPlan(
  db: Database.Database,
  clientId: number,
  jobId: string,
): (JobPlan & { fetchedAt: string }) | undefined {
  const row = prepareCached(
    db,
    'SELECT * FROM ashby_job_plans WHERE client_id = ? AND ashby_job_id = ?',
  ).get(clientId, jobId) as
    | {
        ashby_job_id: string;
        job_title: string;
        job_status: string;
        interview_plan_id: string;
        stages: string;
        fetched_at: string;
      }
    | undefined;
  if (row === undefined) return undefined;
  return {
    jobId: row.ashby_job_id,
    title: row.job_title,
    status: row.job_status,
    interviewPlanId: row.interview_plan_id,
    stages: parseJson<PlanStage[]>(row.stages, []),
    fetchedAt: row.fetched_at,
  };
}

export interface EventStageMapping {
  event: LifecycleEvent;
  enabled: boolean;
  stage: PlanStage | null;
  source: 'plan' | 'override' | null;
  /** Reason no stage is mapped, when `stage` is null. */
  problem: string | null;
}

export interface StageMapping {
  roleId: number;
  jobId: string | null;
  jobTitle: string | null;
  planKnown: boolean;
  events: EventStageMapping[];
  /** True when every enabled event has a stage. */
  complete: boolean;
  /** All stages of the plan, for the admin's override picker. */
  stages: PlanStage[];
}

export function stageMappingFor(db: Database.Database, roleId: number): StageMapping {
  const role = getRole(db, roleId);
  if (role === undefined) throw new Error(`role ${roleId} was not found`);
  const client = getClient(db, role.client_id);
  const enabled = new Set(client === undefined ? [] : enabledEvents(client));
  const plan =
    role.ashby_job_id === null ? undefined : cachedJobPlan(db, role.client_id, role.ashby_job_id);
  const events: EventStageMapping[] = LIFECYCLE_EVENTS.map((event) => {
    if (plan === undefined) {
      const problem =
        role.ashby_job_id === null
          ? 'the role is not linked to an Ashby job'
          : "the job's interview plan has not been read yet";
      return { event, enabled: enabled.has(event), stage: null, source: null, problem };
    }
    const target = resolveRoleStage(event, role, plan.stages);
    return target.ok
      ? {
          event,
          enabled: enabled.has(event),
          stage: target.stage,
          source: target.source,
          problem: null,
        }
      : { event, enabled: enabled.has(event), stage: null, source: null, problem: target.reason };
  });
  return {
    roleId,
    jobId: role.ashby_job_id,
    jobTitle: plan?.title ?? role.ashby_job_title,
    planKnown: plan !== undefined,
    events,
    complete:
      plan !== undefined && events.every((mapping) => !mapping.enabled || mapping.stage !== null),
    stages: plan?.stages ?? [],
  };
}

export type PlannedEffectKind =
  | 'create_candidate'
  | 'link_existing'
  | 'advance'
  | 'archive'
  | 'unchanged'
  | 'revive_archived'
  | 'nothing'
  | 'blocked'
  | 'done';

export interface PlannedEffect {
  outboxId: number;
  clientId: number;
  roleId: number;
  candidateId: number;
  candidateName: string;
  event: LifecycleEvent;
  status: string;
  reasonCode: string | null;
  reason: string | null;
  queuedAt: string;
  kind: PlannedEffectKind;
  /** One sentence for the review screen: the expected change in Ashby, from local data only. */
  summary: string;
  ashbyCandidateId: string | null;
  ashbyApplicationId: string | null;
  stage: PlanStage | null;
  job: { id: string; title: string } | null;
  source: string | null;
  archiveReason: string | null;
  /** Things the admin should know about this effect, such as automations Ashby may skip. */
  notes: string[];
}

function jobOf(
  jobId: string | null,
  jobTitle: string | null,
  plan: JobPlan | undefined,
): { id: string; title: string } | null {
  if (plan !== undefined) return { id: plan.jobId, title: plan.title };
  if (jobId === null) return null;
  return { id: jobId, title: jobTitle ?? jobId };
}

/**
 * Describes what pushing an outbox item will do in Ashby, from the local index and cached plan
 * only. The index may be behind Ashby, so this is a preview rather than a promise.
 */
export function plannedEffectOf(db: Database.Database, outboxId: number): PlannedEffect {
  const item = getOutboxItem(db, outboxId);
  if (item === undefined) throw new Error(`outbox item ${outboxId} was not found`);
  const client = getClient(db, item.client_id);
  const role = getRole(db, item.role_id);
  const candidate = getCandidate(db, item.candidate_id);
  if (client === undefined || role === undefined || candidate === undefined) {
    throw new Error(`outbox item ${outboxId} refers to a missing client, role or candidate`);
  }
  const progress = readProgress(item);
  const plan =
    role.ashby_job_id === null ? undefined : cachedJobPlan(db, client.id, role.ashby_job_id);
  const effect: PlannedEffect = {
    outboxId,
    clientId: client.id,
    roleId: role.id,
    candidateId: candidate.id,
    candidateName: candidate.name,
    event: item.event,
    status: item.status,
    reasonCode: item.reason_code,
    reason: item.reason,
    queuedAt: item.created_at,
    kind: 'blocked',
    summary: '',
    ashbyCandidateId: progress.ashbyCandidateId ?? candidate.ashby_candidate_id,
    ashbyApplicationId: progress.applicationId ?? candidate.ashby_application_id,
    stage: null,
    job: jobOf(role.ashby_job_id, role.ashby_job_title, plan),
    source: client.source_title ?? client.source_id,
    archiveReason:
      item.event === 'archive' ? (client.archive_reason_text ?? client.archive_reason_id) : null,
    notes: [],
  };

  if (item.status === 'done') {
    effect.kind = 'done';
    effect.summary = item.reason ?? 'already sent to Ashby';
    return effect;
  }
  if (role.ashby_job_id === null) {
    effect.summary = `nothing until role "${role.title}" is linked to an Ashby job`;
    return effect;
  }
  const jobTitle = effect.job?.title ?? role.ashby_job_id;
  if (plan === undefined) {
    effect.kind = 'blocked';
    effect.summary = `push ${item.event} for ${candidate.name} on job "${jobTitle}"; the stage is known once the job's interview plan has been read`;
    return effect;
  }
  const target = resolveRoleStage(item.event, role, plan.stages);
  if (!target.ok) {
    effect.summary = target.reason;
    return effect;
  }
  effect.stage = target.stage;

  const identity = candidateIdentity(candidate);
  let ashbyCandidateId = effect.ashbyCandidateId;
  let via = '';
  if (ashbyCandidateId === null && identity.ok) {
    const byEmail =
      identity.identity.email === undefined
        ? []
        : findByIdentity(db, client.id, 'email', identity.identity.email.key);
    const byLinkedIn =
      identity.identity.linkedIn === undefined
        ? []
        : findByIdentity(db, client.id, 'linkedin', identity.identity.linkedIn.slug);
    ashbyCandidateId = byEmail[0] ?? byLinkedIn[0] ?? null;
    if (byEmail[0] !== undefined) via = ' (same email)';
    else if (byLinkedIn[0] !== undefined) via = ' (same LinkedIn)';
  }
  if (!identity.ok && ashbyCandidateId === null) {
    effect.summary = identity.reason;
    return effect;
  }
  const source = effect.source === null ? '' : ` with source ${effect.source}`;

  if (ashbyCandidateId === null) {
    if (item.event === 'archive') {
      effect.kind = 'nothing';
      effect.summary = `nothing: ${candidate.name} is not in Ashby, so there is no application to archive`;
      return effect;
    }
    effect.kind = 'create_candidate';
    effect.summary = `create candidate ${candidate.name} at stage "${target.stage.title}" on job "${jobTitle}"${source}`;
    effect.notes.push(API_CREATED_APPLICATION_NOTE);
    return effect;
  }
  effect.ashbyCandidateId = ashbyCandidateId;

  const application = findIndexedApplication(db, client.id, ashbyCandidateId, plan.jobId);
  if (application === undefined) {
    effect.kind = item.event === 'archive' ? 'nothing' : 'link_existing';
    if (item.event !== 'archive') effect.notes.push(API_CREATED_APPLICATION_NOTE);
    effect.summary =
      item.event === 'archive'
        ? `nothing: existing Ashby candidate ${ashbyCandidateId} has no application on job "${jobTitle}" to archive`
        : `link to existing candidate ${ashbyCandidateId}${via} and create an application at stage "${target.stage.title}" on job "${jobTitle}"${source}`;
    return effect;
  }
  effect.ashbyApplicationId = application.id;
  const known = plan.stages.find((stage) => stage.id === application.stage.id) ?? application.stage;
  const decision = decideMove(
    item.event,
    { status: application.status, stage: known },
    target.stage,
  );
  if (decision.kind === 'move') {
    effect.kind = item.event === 'archive' ? 'archive' : 'advance';
    effect.summary =
      item.event === 'archive'
        ? `archive the application on job "${jobTitle}" with reason "${effect.archiveReason ?? 'not set'}"`
        : `advance the application on job "${jobTitle}" from "${known.title}" to "${target.stage.title}"`;
  } else if (decision.kind === 'review') {
    effect.kind = 'revive_archived';
    effect.summary = `${decision.reason}; approving moves it to "${target.stage.title}"`;
  } else {
    effect.kind = 'unchanged';
    effect.summary = `no change: ${decision.reason}`;
  }
  return effect;
}
