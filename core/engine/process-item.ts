// Runs one outbox item step by step: resolve the candidate, create it if needed, create or move the
// application, upload the resume. Every step is saved before and after its Ashby write, so a
// restart resumes where it stopped and never repeats a write whose outcome it has not checked.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { LifecycleEvent } from '../../shared/domain.js';
import { isAshbyError } from '../ashby/errors.js';
import type { Clock } from '../clock.js';
import { recordAudit, type EngineAuditEntry } from './audit.js';
import type { AshbyCandidateRecord, AshbyPort, JobPlan } from './ashby-port.js';
import { upsertIndexedApplication, upsertIndexedCandidate } from './ashby-index.js';
import { canonicalLinkedIn, normalizeEmail } from './identity.js';
import { recordStep, saveProgress, type ItemProgress } from './outbox-store.js';
import type { CandidateRow, ClientRow, OutboxRow, RoleRow } from './rows.js';
import {
  findApplication,
  findCandidate,
  findSameName,
  type Identity,
  type LookupStrategy,
  type ResolverContext,
} from './resolver.js';
import { parseJson } from './rows.js';
import { rememberStage, resolveRoleStage } from './stage-mapping.js';
import { decideMove, type PlanStage, type StageOverrides } from './stages.js';

export interface ResumeStore {
  /** Returns the resume bytes stored under `sha256`, or null when the file is missing. */
  read(sha256: string): Promise<Uint8Array | null>;
}

export interface ItemContext {
  db: Database.Database;
  clock: Clock;
  logger: Logger;
  port: AshbyPort;
  client: ClientRow;
  role: RoleRow;
  candidate: CandidateRow;
  item: OutboxRow;
  progress: ItemProgress;
  plan: JobPlan;
  strategy: LookupStrategy;
  resumes: ResumeStore | undefined;
  signal: AbortSignal;
}

export type ItemOutcome =
  | { status: 'done'; outcome: 'created' | 'moved' | 'unchanged' | 'skipped'; message: string }
  | { status: 'review'; code: string; message: string }
  | { status: 'needs_attention'; code: string; message: string };

/**
 * Resume types the console uploads: the same five the pipeline import accepts (PDF, DOC, DOCX,
 * RTF, TXT), so a resume that passed the import is never refused here.
 */
const RESUME_TYPES = new Map<string, string>([
  ['pdf', 'application/pdf'],
  ['doc', 'application/msword'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['rtf', 'application/rtf'],
  ['txt', 'text/plain'],
]);

function audit(
  ctx: ItemContext,
  entry: Omit<EngineAuditEntry, 'clientId' | 'roleId' | 'candidateId' | 'outboxId' | 'event'>,
): void {
  recordAudit(ctx.db, ctx.clock, {
    clientId: ctx.client.id,
    roleId: ctx.role.id,
    candidateId: ctx.candidate.id,
    outboxId: ctx.item.id,
    event: ctx.item.event,
    ashbyCandidateId: ctx.progress.ashbyCandidateId ?? null,
    ashbyApplicationId: ctx.progress.applicationId ?? null,
    ...entry,
  });
}

function save(ctx: ItemContext): void {
  saveProgress(ctx.db, ctx.clock, ctx.item.id, ctx.progress);
}

function recordItemStep(
  ctx: ItemContext,
  step: string,
  outcome: Parameters<typeof recordStep>[4],
  detail: string,
  requestId?: string | null,
): void {
  recordStep(ctx.db, ctx.clock, ctx.item.id, step, outcome, detail, requestId);
}

/** Reads the candidate's identity; fails when it has neither a valid email nor a valid LinkedIn. */
export function candidateIdentity(
  candidate: Pick<CandidateRow, 'name' | 'email' | 'linkedin_url'>,
): { ok: true; identity: Identity } | { ok: false; reason: string } {
  const email =
    candidate.email === null || candidate.email.trim() === ''
      ? undefined
      : normalizeEmail(candidate.email);
  const linkedIn =
    candidate.linkedin_url === null || candidate.linkedin_url.trim() === ''
      ? undefined
      : canonicalLinkedIn(candidate.linkedin_url);
  const identity: Identity = {
    email: email?.ok ? { email: email.email, key: email.key } : undefined,
    linkedIn: linkedIn?.ok ? { url: linkedIn.url, slug: linkedIn.slug } : undefined,
  };
  if (identity.email === undefined && identity.linkedIn === undefined) {
    const problems: string[] = [];
    if (email && !email.ok) problems.push(email.reason);
    if (linkedIn && !linkedIn.ok) problems.push(linkedIn.reason);
    if (problems.length === 0) problems.push('no email and no LinkedIn profile');
    return {
      ok: false,
      reason: `${problems.join('; ')}; fix the email or LinkedIn of ${candidate.name} and retry`,
    };
  }
  return { ok: true, identity };
}

export function stageOverrides(role: RoleRow): StageOverrides {
  return parseJson<StageOverrides>(role.stage_overrides, {});
}

function approved(ctx: ItemContext, code: string): boolean {
  return ctx.progress.approved?.includes(code) ?? false;
}

function resolverContext(ctx: ItemContext): ResolverContext {
  return {
    db: ctx.db,
    clock: ctx.clock,
    clientId: ctx.client.id,
    port: ctx.port,
    strategy: ctx.strategy,
    signal: ctx.signal,
  };
}

/** Ashby's code for a second application on the same job is undocumented; the sandbox uses this one. */
function isDuplicateApplication(error: unknown): boolean {
  return (
    isAshbyError(error) && error.kind === 'api' && /already_exists|duplicate/i.test(error.ashbyCode)
  );
}

function needsAttention(code: string, message: string): ItemOutcome {
  return { status: 'needs_attention', code, message };
}

function jobClosed(ctx: ItemContext): ItemOutcome {
  return needsAttention(
    'job_closed',
    `job "${ctx.plan.title}" is ${ctx.plan.status} in Ashby; new applications cannot be added`,
  );
}

/** Checks what can be checked without Ashby: identity, stage mapping, archive reason, job status. */
export function precheck(
  event: LifecycleEvent,
  client: ClientRow,
  role: RoleRow,
  candidate: CandidateRow,
  plan: JobPlan | undefined,
): { ok: true; identity: Identity; target: PlanStage } | { ok: false; outcome: ItemOutcome } {
  if (role.ashby_job_id === null) {
    return {
      ok: false,
      outcome: needsAttention(
        'role_not_linked',
        `role "${role.title}" is not linked to an Ashby job; link it and retry`,
      ),
    };
  }
  const identity = candidateIdentity(candidate);
  if (!identity.ok)
    return { ok: false, outcome: needsAttention('invalid_identity', identity.reason) };
  if (plan === undefined) {
    return {
      ok: false,
      outcome: needsAttention(
        'plan_unknown',
        `the interview plan of job ${role.ashby_job_id} has not been read yet`,
      ),
    };
  }
  const target = resolveRoleStage(event, role, plan.stages);
  if (!target.ok) {
    // The reason of a deleted mapped stage already names the role.
    const reason =
      target.code === 'mapped_stage_missing'
        ? target.reason
        : `role "${role.title}": ${target.reason}`;
    return { ok: false, outcome: needsAttention(target.code, reason) };
  }
  if (
    event === 'archive' &&
    (client.archive_reason_id === null || client.archive_reason_id === '')
  ) {
    return {
      ok: false,
      outcome: needsAttention(
        'archive_reason_missing',
        `choose an archive reason for ${client.name} in its settings, then retry`,
      ),
    };
  }
  return { ok: true, identity: identity.identity, target: target.stage };
}

export async function processItem(ctx: ItemContext): Promise<ItemOutcome> {
  const { item, client, candidate, progress } = ctx;
  const checked = precheck(item.event, client, ctx.role, candidate, ctx.plan);
  if (!checked.ok) return checked.outcome;
  const { identity, target } = checked;
  // Roles linked before stage mappings were stored, and events that had no stage at link time,
  // keep the stage of their first push from now on.
  rememberStage(ctx.db, ctx.clock, ctx.role.id, item.event, target);

  // Set only when this attempt's own candidate.create returned: a candidate found while verifying
  // may have been created by another row for the same person, with applications of its own.
  let createdNow = false;

  // Step 1: resolve the Ashby candidate.
  if (progress.ashbyCandidateId === undefined) {
    const verifying = progress.pendingWrite === 'candidate.create';
    const found = await findCandidate(resolverContext(ctx), identity, verifying);
    if (found !== undefined) {
      progress.ashbyCandidateId = found.id;
      if (verifying) progress.createdCandidate = true;
      delete progress.pendingWrite;
      save(ctx);
      recordItemStep(
        ctx,
        'resolved',
        'ok',
        `matched by ${found.via}${verifying ? ' (earlier create took effect)' : ''}`,
      );
      audit(ctx, {
        action: 'linked',
        outcome: 'ok',
        message: `linked to Ashby candidate ${found.id} by ${found.via}`,
        ashbyCandidateId: found.id,
      });
    } else if (verifying) {
      // The earlier create did not take effect; it is safe to send it again below.
      delete progress.pendingWrite;
      save(ctx);
      recordItemStep(ctx, 'verified', 'ok', 'earlier candidate.create did not take effect');
    }
  }

  if (progress.ashbyCandidateId === undefined) {
    if (item.event === 'archive') {
      recordItemStep(ctx, 'resolved', 'skipped', 'not in Ashby; nothing to archive');
      audit(ctx, {
        action: 'skipped',
        outcome: 'skipped',
        message: 'skipped: not in Ashby, so there is no application to archive',
      });
      return { status: 'done', outcome: 'skipped', message: 'not in Ashby; nothing to archive' };
    }
    if (!approved(ctx, 'possible_duplicate')) {
      const sameName = await findSameName(resolverContext(ctx), candidate.name);
      if (sameName.length > 0) {
        const message = `possible duplicate: Ashby has ${sameName.length === 1 ? 'a candidate' : `${sameName.length} candidates`} named "${candidate.name}" (${sameName.join(', ')}) with no matching email or LinkedIn; approve to create a new candidate`;
        audit(ctx, { action: 'review', outcome: 'waiting', message, details: { sameName } });
        return { status: 'review', code: 'possible_duplicate', message };
      }
    }
    if (ctx.plan.status !== 'Open') {
      return jobClosed(ctx);
    }
    await createCandidate(ctx, identity);
    createdNow = true;
  }

  const ashbyCandidateId = progress.ashbyCandidateId;
  if (ashbyCandidateId === undefined) throw new Error('candidate id missing after creation');

  // Step 2: the application on the linked job.
  let outcome: ItemOutcome;
  if (progress.applicationDone === true) {
    outcome = {
      status: 'done',
      outcome:
        (progress.outcome as 'created' | 'moved' | 'unchanged' | 'skipped' | undefined) ??
        'unchanged',
      message: 'application already handled',
    };
  } else {
    outcome = await placeApplication(ctx, ashbyCandidateId, target, createdNow);
    if (outcome.status !== 'done') return outcome;
  }

  // Step 3: the resume, for candidates this item created. A resume the import rejected is
  // recorded as a failed step, so the item waits until a fixed file is imported and retried.
  if (
    progress.createdCandidate === true &&
    (candidate.resume_sha256 !== null || candidate.resume_problem !== null) &&
    progress.resume !== 'uploaded'
  ) {
    const resumeFailure = await uploadResume(ctx, ashbyCandidateId);
    if (resumeFailure !== undefined) return resumeFailure;
  }
  return outcome;
}

async function createCandidate(ctx: ItemContext, identity: Identity): Promise<void> {
  const { progress, candidate } = ctx;
  progress.pendingWrite = 'candidate.create';
  save(ctx);
  const written = await ctx.port.createCandidate(
    {
      name: candidate.name,
      email: identity.email?.email,
      linkedInUrl: identity.linkedIn?.url,
      phoneNumber: candidate.phone ?? undefined,
    },
    ctx.signal,
  );
  const record: AshbyCandidateRecord = written.value;
  ctx.db.transaction(() => {
    upsertIndexedCandidate(ctx.db, ctx.clock, ctx.client.id, record);
    progress.ashbyCandidateId = record.id;
    progress.createdCandidate = true;
    delete progress.pendingWrite;
    save(ctx);
    recordItemStep(ctx, 'candidate_created', 'ok', record.id, written.requestId);
    audit(ctx, {
      action: 'candidate_created',
      outcome: 'ok',
      message: `created Ashby candidate ${record.id} for ${candidate.name}`,
      ashbyCandidateId: record.id,
      ashbyRequestId: written.requestId ?? null,
    });
  })();
}

async function placeApplication(
  ctx: ItemContext,
  ashbyCandidateId: string,
  target: PlanStage,
  createdNow: boolean,
): Promise<ItemOutcome> {
  const { progress, item } = ctx;
  const verifying = progress.pendingWrite === 'application.create';
  // A candidate this attempt just created has no applications yet, so there is nothing to look up.
  const justCreated = createdNow && !verifying && progress.applicationId === undefined;
  let existing = justCreated
    ? undefined
    : await findApplication(
        resolverContext(ctx),
        ashbyCandidateId,
        ctx.plan.jobId,
        verifying || progress.applicationId !== undefined,
      );

  if (existing === undefined) {
    if (verifying) {
      delete progress.pendingWrite;
      save(ctx);
      recordItemStep(ctx, 'verified', 'ok', 'earlier application.create did not take effect');
    }
    if (ctx.plan.status !== 'Open') {
      return jobClosed(ctx);
    }
    try {
      return await createApplication(ctx, ashbyCandidateId, target);
    } catch (error) {
      if (!isDuplicateApplication(error)) throw error;
      // Ashby already has an application for this candidate on the job (created by a write this
      // engine could not confirm, or by someone else), so read it and decide the move from it.
      existing = await findApplication(
        resolverContext(ctx),
        ashbyCandidateId,
        ctx.plan.jobId,
        true,
      );
      if (existing === undefined) throw error;
      delete progress.pendingWrite;
      recordItemStep(ctx, 'verified', 'ok', `application ${existing.id} already exists`);
    }
  }

  if (verifying) {
    delete progress.pendingWrite;
    recordItemStep(ctx, 'verified', 'ok', `earlier application.create took effect: ${existing.id}`);
    // The create's response was lost, so this is the first time the write can be recorded.
    audit(ctx, {
      action: 'application_created',
      outcome: 'ok',
      message: `created application ${existing.id} on job "${ctx.plan.title}" (confirmed after the response was lost)`,
      ashbyApplicationId: existing.id,
    });
    if (existing.stage.id === target.id) {
      return finishApplication(
        ctx,
        existing.id,
        'created',
        `created application ${existing.id} at ${target.title}`,
      );
    }
  }
  progress.applicationId = existing.id;
  save(ctx);
  // Some Ashby responses trim the current stage to its id; the job's plan has the rest.
  const currentStage =
    ctx.plan.stages.find((stage) => stage.id === existing.stage.id) ?? existing.stage;

  // An earlier attempt sent changeStage but its outcome is unknown (lost response or crash).
  const verifyingMove = progress.pendingWrite === 'application.changeStage';
  if (verifyingMove) {
    delete progress.pendingWrite;
    save(ctx);
  }
  const archiving = target.type === 'Archived';
  let step = 'application_moved';
  if (archiving) step = 'archived';
  else if (target.type === 'Hired') step = 'hired';
  if (verifyingMove && currentStage.id === target.id) {
    const message = `${archiving ? 'archived' : 'moved'} application ${existing.id} to ${target.title} (confirmed after the response was lost)`;
    recordItemStep(
      ctx,
      'verified',
      'ok',
      `earlier application.changeStage took effect: ${existing.id}`,
    );
    recordItemStep(ctx, step, 'ok', message);
    audit(ctx, { action: step, outcome: 'ok', message, ashbyApplicationId: existing.id });
    return finishApplication(ctx, existing.id, 'moved', message, false);
  }

  const decision = decideMove(item.event, { status: existing.status, stage: currentStage }, target);
  if (decision.kind === 'review' && !approved(ctx, decision.code)) {
    audit(ctx, {
      action: 'review',
      outcome: 'waiting',
      message: decision.reason,
      ashbyApplicationId: existing.id,
    });
    return { status: 'review', code: decision.code, message: decision.reason };
  }
  if (decision.kind === 'unchanged') {
    recordItemStep(ctx, 'application_unchanged', 'skipped', decision.reason);
    audit(ctx, {
      action: 'skipped',
      outcome: 'skipped',
      message: `skipped: ${decision.reason}`,
      ashbyApplicationId: existing.id,
    });
    return finishApplication(ctx, existing.id, 'unchanged', decision.reason, false);
  }

  // Saved before the call, so a crash or a lost response leads to a lookup that can record the
  // move, not a silent "already there" skip.
  progress.pendingWrite = 'application.changeStage';
  save(ctx);
  const written = await ctx.port.changeStage(
    {
      applicationId: existing.id,
      interviewStageId: target.id,
      archiveReasonId: archiving ? (ctx.client.archive_reason_id ?? undefined) : undefined,
    },
    ctx.signal,
  );
  upsertIndexedApplication(ctx.db, ctx.clock, ctx.client.id, { ...written.value, stage: target });
  delete progress.pendingWrite;
  const message = archiving
    ? `archived application ${existing.id} with reason "${ctx.client.archive_reason_text ?? ctx.client.archive_reason_id}"`
    : `moved application ${existing.id} from ${currentStage.title} to ${target.title}`;
  recordItemStep(ctx, step, 'ok', message, written.requestId);
  audit(ctx, {
    action: step,
    outcome: 'ok',
    message,
    ashbyApplicationId: existing.id,
    ashbyRequestId: written.requestId ?? null,
  });
  return finishApplication(ctx, existing.id, 'moved', message, false);
}

async function createApplication(
  ctx: ItemContext,
  ashbyCandidateId: string,
  target: PlanStage,
): Promise<ItemOutcome> {
  const { progress } = ctx;
  // Saved before the call, so a crash or a lost response leads to a lookup, not a second create.
  progress.pendingWrite = 'application.create';
  save(ctx);

  const written = await ctx.port.createApplication(
    {
      candidateId: ashbyCandidateId,
      jobId: ctx.plan.jobId,
      interviewStageId: target.id,
      sourceId: ctx.client.source_id ?? undefined,
    },
    ctx.signal,
  );
  const application = { ...written.value, stage: target };
  upsertIndexedApplication(ctx.db, ctx.clock, ctx.client.id, application);
  delete progress.pendingWrite;

  const source = ctx.client.source_title ? ` with source ${ctx.client.source_title}` : '';
  const message = `created application ${application.id} on job "${ctx.plan.title}" at ${target.title}${source}`;
  recordItemStep(ctx, 'application_created', 'ok', message, written.requestId);
  progress.applicationId = application.id;
  audit(ctx, {
    action: 'application_created',
    outcome: 'ok',
    message,
    ashbyApplicationId: application.id,
    ashbyRequestId: written.requestId ?? null,
  });
  return finishApplication(ctx, application.id, 'created', message, false);
}

function finishApplication(
  ctx: ItemContext,
  applicationId: string,
  outcome: 'created' | 'moved' | 'unchanged',
  message: string,
  record = true,
): ItemOutcome {
  const { progress } = ctx;
  progress.applicationId = applicationId;
  progress.applicationDone = true;
  progress.outcome = outcome;
  delete progress.pendingWrite;
  save(ctx);
  if (record)
    recordItemStep(
      ctx,
      outcome === 'created' ? 'application_created' : 'application_moved',
      'ok',
      message,
    );
  return { status: 'done', outcome, message };
}

function resumeContentType(fileName: string, declared: string | null): string | undefined {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const byExtension = RESUME_TYPES.get(extension);
  if (byExtension === undefined) return undefined;
  if (
    declared !== null &&
    declared !== '' &&
    declared !== 'application/octet-stream' &&
    ![...RESUME_TYPES.values()].includes(declared)
  ) {
    return undefined;
  }
  return byExtension;
}

/** Uploads the resume; returns an outcome only when the item must stop with the resume failed. */
async function uploadResume(
  ctx: ItemContext,
  ashbyCandidateId: string,
): Promise<ItemOutcome | undefined> {
  const { candidate, progress } = ctx;
  const fileName = candidate.resume_file_name ?? 'resume.pdf';
  const fail = (message: string, nextStep = 'retry to upload the resume alone'): ItemOutcome => {
    progress.resume = 'failed';
    save(ctx);
    recordItemStep(ctx, 'resume_uploaded', 'failed', message);
    audit(ctx, {
      action: 'resume_failed',
      outcome: 'failed',
      message: `resume not uploaded: ${message}`,
    });
    return needsAttention(
      'resume_failed',
      `resume not uploaded: ${message}; the candidate and application are in Ashby, ${nextStep}`,
    );
  };

  if (candidate.resume_sha256 === null && candidate.resume_problem !== null) {
    return fail(
      candidate.resume_problem,
      'fix the file and import the export again, then retry to upload the resume alone',
    );
  }

  const contentType = resumeContentType(fileName, candidate.resume_content_type);
  if (contentType === undefined)
    return fail(`"${fileName}" is not a PDF, DOC, DOCX, RTF or TXT file`);
  if (candidate.resume_size === 0) return fail(`"${fileName}" is empty (0 bytes)`);
  if (ctx.resumes === undefined || candidate.resume_sha256 === null)
    return fail(`"${fileName}" is not available to the engine`);
  const content = await ctx.resumes.read(candidate.resume_sha256);
  if (content === null) return fail(`"${fileName}" is missing from the data folder`);
  if (content.byteLength === 0) return fail(`"${fileName}" is empty (0 bytes)`);

  if (progress.pendingWrite === 'candidate.uploadResume') {
    // An earlier upload's outcome is unknown (lost response or crash), so read the candidate.
    const current = await ctx.port.candidateInfo(ashbyCandidateId, ctx.signal);
    delete progress.pendingWrite;
    if (current.hasResume === true) {
      progress.resume = 'uploaded';
      save(ctx);
      const message = `uploaded resume "${fileName}" (${content.byteLength} bytes, confirmed after the response was lost)`;
      recordItemStep(ctx, 'verified', 'ok', 'earlier candidate.uploadResume took effect');
      recordItemStep(ctx, 'resume_uploaded', 'ok', message);
      audit(ctx, { action: 'resume_uploaded', outcome: 'ok', message, ashbyCandidateId });
      return undefined;
    }
    save(ctx);
    recordItemStep(ctx, 'verified', 'ok', 'earlier candidate.uploadResume did not take effect');
  }

  // Saved before the call, so a crash or a lost response leads to a check, not a second upload.
  progress.pendingWrite = 'candidate.uploadResume';
  save(ctx);
  const written = await ctx.port.uploadResume(
    { candidateId: ashbyCandidateId, fileName, contentType, content },
    ctx.signal,
  );
  delete progress.pendingWrite;
  progress.resume = 'uploaded';
  save(ctx);
  const message = `uploaded resume "${fileName}" (${content.byteLength} bytes)`;
  recordItemStep(ctx, 'resume_uploaded', 'ok', message, written.requestId);
  audit(ctx, {
    action: 'resume_uploaded',
    outcome: 'ok',
    message,
    ashbyCandidateId,
    ashbyRequestId: written.requestId ?? null,
  });
  return undefined;
}
