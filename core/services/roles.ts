// Role and candidate services: list roles with their counts, link a role to an Ashby job (and wait
// for link resolution), unlink it, choose its stages, and take a pipeline action on a candidate.
import { LifecycleEvent, type AshbyDisplayStatus, type PipelineState } from '../../shared/domain.js';
import { AppError } from '../../shared/errors.js';
import type { TaskProgress } from '../engine/events.js';
import type { StageMapping } from '../engine/plans.js';
import type { RunRow } from '../engine/runs.js';
import { applyPipelineAction, PipelineAction, PipelineActionError, type PipelineActionResult } from '../pipeline/actions.js';
import { ASHBY_DISPLAY_STATUS_SQL } from '../store/repo/candidates.js';
import { listRolesByClient, requireRole, type Role, type RoleLinkStatus } from '../store/repo/roles.js';
import { toServiceError } from './ashby-errors.js';
import type { Services } from './context.js';
import { ashbyFor, requireClientRef, resolveCandidate, resolveRole, type ClientRef } from './lookup.js';

export interface RoleOverview {
  /** Console id. */
  id: number;
  /** The export's role id. */
  externalId: string;
  title: string;
  ashbyJobId: string | null;
  ashbyJobTitle: string | null;
  linkStatus: RoleLinkStatus;
  linkStatusReason: string | null;
  candidates: number;
  byState: Record<PipelineState, number>;
  byAshbyStatus: Record<AshbyDisplayStatus, number>;
}

export interface LinkResult {
  role: RoleOverview;
  runId: number;
  /** Final status of the link-resolution run, or `running` when the caller did not wait. */
  runStatus: RunRow['status'];
  message: string | null;
  /** Set when the job is not Open: Ashby rejects new applications on it, so pushes will wait. */
  warning?: string;
}

// Ashby accepts new applications only on an Open job; pushes to a Draft, Closed or Archived job
// end as needs attention.
function closedJobWarning(jobTitle: string, status: string): string | undefined {
  if (status === 'Open') return undefined;
  return (
    `Job "${jobTitle}" is ${status}, not Open, and Ashby rejects new applications on a job that is not open. ` +
    'Pushes for this role will wait as needs attention until the job is reopened in Ashby or the role is linked to another job.'
  );
}

/** Default time `linkRole` waits for link resolution, in milliseconds. */
export const LINK_WAIT_MS = 10 * 60_000;

function emptyStates(): Record<PipelineState, number> {
  return { shortlisted: 0, intro_requested: 0, intro_completed: 0, archived: 0, hired: 0 };
}

function emptyAshbyStatuses(): Record<AshbyDisplayStatus, number> {
  return { unknown: 0, linked: 0, in_ashby_not_on_job: 0, not_in_ashby: 0, needs_attention: 0 };
}

function overview(services: Services, role: Role): RoleOverview {
  const rows = services.db
    .prepare(
      `SELECT state, ${ASHBY_DISPLAY_STATUS_SQL} AS ashbyStatus, COUNT(*) AS count FROM candidates WHERE role_id = ? GROUP BY 1, 2`,
    )
    .all(role.id) as { state: PipelineState; ashbyStatus: AshbyDisplayStatus; count: number }[];
  const byState = emptyStates();
  const byAshbyStatus = emptyAshbyStatuses();
  let candidates = 0;
  for (const row of rows) {
    byState[row.state] += row.count;
    byAshbyStatus[row.ashbyStatus] += row.count;
    candidates += row.count;
  }
  return {
    id: role.id,
    externalId: role.externalId,
    title: role.title,
    ashbyJobId: role.ashbyJobId,
    ashbyJobTitle: role.ashbyJobTitle,
    linkStatus: role.linkStatus,
    linkStatusReason: role.linkStatusReason,
    candidates,
    byState,
    byAshbyStatus,
  };
}

/** Returns the client's roles, sorted by title, with candidate counts per state and per Ashby status. */
export function listRoles(services: Services, clientRef: ClientRef): RoleOverview[] {
  const client = requireClientRef(services, clientRef);
  return listRolesByClient(services.db, client.id).map((role) => overview(services, role));
}

export function getRoleOverview(services: Services, clientRef: ClientRef, roleRef: string | number): RoleOverview {
  const client = requireClientRef(services, clientRef);
  return overview(services, resolveRole(services, client.id, roleRef));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until a run leaves `running`, calling `onProgress` with the engine's progress events.
 * Another process may hold the engine lock and do the work; the run's row is polled either way.
 */
export async function waitForRun(
  services: Services,
  runId: number,
  options: { timeoutMs: number; onProgress?: (progress: TaskProgress) => void },
): Promise<RunRow> {
  const listener = (progress: TaskProgress): void => {
    if (progress.runId === runId) options.onProgress?.(progress);
  };
  services.engine.events.on('task:progress', listener);
  try {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const run = services.engine.getRun(runId);
      if (run === undefined) throw new AppError('not_found', `Run ${runId} no longer exists.`);
      if (run.status !== 'running') return run;
      if (!services.engine.processing && services.engineLockHolder() === undefined) {
        throw new AppError('busy', `No sync engine is running for this data folder, so run ${runId} cannot progress. Run \`sync\` or start the app.`);
      }
      if (Date.now() > deadline) {
        throw new AppError('busy', `Run ${runId} did not finish within ${Math.round(options.timeoutMs / 1000)} s; it carries on in the background.`);
      }
      await sleep(100);
    }
  } finally {
    services.engine.events.off('task:progress', listener);
  }
}

/**
 * Links a role to an Ashby job and starts link resolution. The job id is checked with `job.info`
 * first. With `wait`, returns once link resolution has finished (this process's engine or the one
 * holding the lock does the work).
 */
export async function linkRole(
  services: Services,
  clientRef: ClientRef,
  roleRef: string | number,
  ashbyJobId: string,
  options: { wait?: boolean; timeoutMs?: number; onProgress?: (progress: TaskProgress) => void } = {},
): Promise<LinkResult> {
  const client = requireClientRef(services, clientRef);
  const role = resolveRole(services, client.id, roleRef);
  const jobId = ashbyJobId.trim();
  const ashby = await ashbyFor(services, client);
  let warning: string | undefined;
  try {
    const job = (await ashby.job.info({ id: jobId })).results;
    warning = closedJobWarning(job.title, job.status);
  } catch (error) {
    const mapped = toServiceError(error, `looking up job ${jobId}`, client.name);
    if (mapped.code === 'ashby_error') {
      throw new AppError('not_found', `Ashby has no job "${jobId}" for ${client.name}; \`clients jobs\` or the role-link dropdown lists the jobs.`, {
        cause: error,
      });
    }
    throw mapped;
  }
  const runId = await services.engine.linkRole(role.id, jobId);
  if (options.wait === false) {
    return {
      role: overview(services, requireRole(services.db, role.id)),
      runId,
      runStatus: 'running',
      message: null,
      ...(warning === undefined ? {} : { warning }),
    };
  }
  const run = await waitForRun(services, runId, {
    timeoutMs: options.timeoutMs ?? LINK_WAIT_MS,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const linked = requireRole(services.db, role.id);
  if (run.status === 'failed') {
    throw new AppError('ashby_error', `Linking role "${role.title}" failed: ${run.message ?? 'link resolution failed'}.`, {
      details: { runId, roleId: role.id },
    });
  }
  return { role: overview(services, linked), runId, runStatus: run.status, message: run.message, ...(warning === undefined ? {} : { warning }) };
}

/** Removes the role's link to its Ashby job. Nothing in Ashby changes. */
export async function unlinkRole(services: Services, clientRef: ClientRef, roleRef: string | number): Promise<RoleOverview> {
  const client = requireClientRef(services, clientRef);
  const role = resolveRole(services, client.id, roleRef);
  await services.engine.unlinkRole(role.id);
  return overview(services, requireRole(services.db, role.id));
}

/** The `stageId` of `setRoleStage` that clears an admin's choice, so the plan's stage applies. */
export const PLAN_STAGE = 'default';

/**
 * Chooses the Ashby stage `event` moves candidates of a role to, or with `PLAN_STAGE` clears the
 * choice so the stage the plan maps to applies. Pushes parked because of the mapping are queued
 * again. Returns the role's mapping after the change.
 */
export function setRoleStage(
  services: Services,
  clientRef: ClientRef,
  roleRef: string | number,
  event: string,
  stageId: string,
): StageMapping {
  const parsed = LifecycleEvent.safeParse(event);
  if (!parsed.success) {
    throw new AppError('invalid_input', `Unknown event "${event}"; use one of ${LifecycleEvent.options.join(', ')}.`);
  }
  const client = requireClientRef(services, clientRef);
  const role = resolveRole(services, client.id, roleRef);
  if (role.ashbyJobId === null) {
    throw new AppError('invalid_input', `Role "${role.title}" is not linked to an Ashby job yet; link it to a job before choosing stages.`);
  }
  const chosen = stageId.trim();
  if (chosen === PLAN_STAGE) return services.engine.setStageOverride(role.id, parsed.data, null);
  const mapping = services.engine.stageMapping(role.id);
  // Without a cached plan the id cannot be checked here; a push reports a stage Ashby does not have.
  if (mapping.planKnown && !mapping.stages.some((stage) => stage.id === chosen)) {
    const stages = mapping.stages.map((stage) => `${stage.id} (${stage.title})`).join(', ');
    throw new AppError('not_found', `Job "${mapping.jobTitle ?? role.ashbyJobId}" has no stage "${chosen}"; use one of ${stages}.`);
  }
  return services.engine.setStageOverride(role.id, parsed.data, chosen);
}

export interface ActResult extends PipelineActionResult {
  candidateName: string;
  /** What the queued push will do in Ashby, or null when nothing was queued. */
  plannedEffect: string | null;
  /** Status of the queued outbox item (`pending`, `review`, `discarded`, ...), or null. */
  queueStatus: string | null;
  queueReason: string | null;
}

/** Takes a pipeline action on a candidate; the matching event is queued exactly as an import would. */
export function act(
  services: Services,
  clientRef: ClientRef,
  roleRef: string | number,
  candidateRef: string | number,
  action: string,
): ActResult {
  const parsed = PipelineAction.safeParse(action);
  if (!parsed.success) {
    throw new AppError('invalid_input', `Unknown action "${action}"; use one of ${PipelineAction.options.join(', ')}.`);
  }
  const client = requireClientRef(services, clientRef);
  const role = resolveRole(services, client.id, roleRef);
  const candidate = resolveCandidate(services, role, candidateRef);
  let result: PipelineActionResult;
  try {
    result = applyPipelineAction(services.db, services.clock, { candidateId: candidate.id, action: parsed.data, actor: services.actor });
  } catch (error) {
    if (error instanceof PipelineActionError) throw new AppError(error.code === 'candidate_not_found' ? 'not_found' : 'invalid_input', error.message);
    throw error;
  }
  let plannedEffect: string | null = null;
  let queueStatus: string | null = null;
  let queueReason: string | null = null;
  if (result.outboxId !== null) {
    const effect = services.engine.plannedEffect(result.outboxId);
    plannedEffect = effect.summary;
    queueStatus = effect.status;
    queueReason = effect.reason;
  }
  return { ...result, candidateName: candidate.name, plannedEffect, queueStatus, queueReason };
}
