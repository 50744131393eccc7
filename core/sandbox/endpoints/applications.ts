import { z } from 'zod';

import { AshbyError } from '../errors.js';
import {
  stageStatus,
  type StoredApplication,
  type StoredHistoryEntry,
  type StoredJob,
  type StoredStage,
} from '../model.js';
import { applicationShape } from '../shapes.js';
import { touch, track, type Untracked } from '../tenant.js';
import {
  applicationVisible,
  epochMsParam,
  filterKey,
  pageParams,
  parseJson,
  requireApplication,
  requireCandidate,
  requireJob,
  requireSource,
  requireUser,
  uuidParam,
  type ApiContext,
  type EndpointDefinition,
} from './common.js';
import { liveStages } from './jobs.js';

/** Special `interviewStageId` value of `application.create`: the first PreInterviewScreen stage of the plan. */
export const FIRST_PRE_INTERVIEW_SCREEN = 'FirstPreInterviewScreen';

const isoDateParam = z.iso.datetime({ offset: true });

function withHistory(context: ApiContext, application: StoredApplication): Record<string, unknown> {
  return applicationShape(context.tenant, application, { includeHistory: true });
}

function withoutHistory(context: ApiContext, application: StoredApplication): Record<string, unknown> {
  return applicationShape(context.tenant, application, { includeHistory: false });
}

/** Finds a live stage of `planId`; a stage of another plan counts as not found. */
function requirePlanStage(context: ApiContext, planId: string, stageId: string): StoredStage {
  const stage = context.tenant.stages.get(stageId);
  if (!stage || stage.deleted || stage.interviewPlanId !== planId) {
    // NOTE: Ashby does not document the code for a stage of another plan; the sandbox treats it as not found.
    throw new AshbyError('interview_stage_not_found', `No interview stage ${stageId} in interview plan ${planId}.`);
  }
  return stage;
}

function requireArchiveReason(context: ApiContext, archiveReasonId: string): void {
  const reason = context.tenant.archiveReasons.get(archiveReasonId);
  if (!reason || reason.isArchived) {
    throw new AshbyError('archive_reason_not_found', `No active archive reason with id ${archiveReasonId}.`);
  }
}

function planForCreate(context: ApiContext, job: StoredJob, interviewPlanId: string | undefined): string {
  if (interviewPlanId === undefined) return job.defaultInterviewPlanId;
  const allowed = interviewPlanId === job.defaultInterviewPlanId || job.interviewPlanIds.includes(interviewPlanId);
  if (!allowed || !context.tenant.plans.has(interviewPlanId)) {
    throw new AshbyError('interview_plan_not_found', `Interview plan ${interviewPlanId} is not a plan of job ${job.id}.`);
  }
  return interviewPlanId;
}

function stageForCreate(context: ApiContext, planId: string, interviewStageId: string | undefined): StoredStage {
  const stages = liveStages(context, planId) ?? [];
  if (interviewStageId === undefined) {
    // Ashby places a new application in the first Lead stage ("New Lead") unless the request names a stage.
    const firstLead = stages.find((stage) => stage.type === 'Lead');
    if (!firstLead) throw new AshbyError('interview_stage_not_found', `Interview plan ${planId} has no Lead stage.`);
    return firstLead;
  }
  if (interviewStageId === FIRST_PRE_INTERVIEW_SCREEN) {
    const first = stages.find((stage) => stage.type === 'PreInterviewScreen');
    if (!first) {
      throw new AshbyError('interview_stage_not_found', `Interview plan ${planId} has no PreInterviewScreen stage.`);
    }
    return first;
  }
  if (!uuidParam.safeParse(interviewStageId).success) {
    throw new AshbyError(
      'invalid_input',
      `Invalid request: interviewStageId: must be a UUID or "${FIRST_PRE_INTERVIEW_SCREEN}".`,
    );
  }
  return requirePlanStage(context, planId, interviewStageId);
}

const historyEntryInput = z.object({
  stageId: uuidParam,
  stageNumber: z.number().int().nonnegative(),
  enteredStageAt: isoDateParam,
  archiveReasonId: uuidParam.optional(),
});

const applicationCreateInput = z.object({
  candidateId: uuidParam,
  jobId: uuidParam,
  interviewPlanId: uuidParam.optional(),
  interviewStageId: z.string().optional(),
  sourceId: uuidParam.optional(),
  creditedToUserId: uuidParam.optional(),
  createdAt: isoDateParam.optional(),
  applicationHistory: z.array(historyEntryInput).optional(),
});

interface PlannedHistory {
  entries: StoredHistoryEntry[];
  current: StoredStage;
  archiveReasonId: string | null;
}

/** Builds the history of a backdated application from `applicationHistory` (highest stageNumber is current). */
function historyFromInput(
  context: ApiContext,
  planId: string,
  input: z.infer<typeof historyEntryInput>[],
): PlannedHistory {
  if (input.length === 0) throw new AshbyError('invalid_input', 'Invalid request: applicationHistory: must not be empty.');
  const sorted = [...input].sort((a, b) => a.stageNumber - b.stageNumber);
  const entries: StoredHistoryEntry[] = [];
  let current: StoredStage | null = null;
  let archiveReasonId: string | null = null;
  for (const [index, item] of sorted.entries()) {
    const stage = requirePlanStage(context, planId, item.stageId);
    if (stage.type === 'Archived' && item.archiveReasonId === undefined) {
      throw new AshbyError('invalid_input', `Invalid request: applicationHistory: stage ${stage.id} is an Archived stage and needs archiveReasonId.`);
    }
    if (item.archiveReasonId !== undefined) requireArchiveReason(context, item.archiveReasonId);
    const next = sorted[index + 1];
    entries.push({
      id: context.newId(),
      stageId: stage.id,
      title: stage.title,
      stageNumber: index,
      enteredStageAt: new Date(item.enteredStageAt).toISOString(),
      leftStageAt: next ? new Date(next.enteredStageAt).toISOString() : null,
      actorId: null,
    });
    current = stage;
    archiveReasonId = stage.type === 'Archived' ? (item.archiveReasonId ?? null) : null;
  }
  return { entries, current: current!, archiveReasonId };
}

const applicationCreate: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    const input = parseJson(applicationCreateInput, body);
    const candidate = requireCandidate(context, input.candidateId);
    const job = requireJob(context, input.jobId);
    if (job.status !== 'Open') {
      // NOTE: Ashby does not document this error; `job_not_open` is the sandbox's own code.
      throw new AshbyError('job_not_open', `Job ${job.id} ("${job.title}") is ${job.status}; applications need an Open job.`);
    }
    const existing = candidate.applicationIds
      .map((id) => context.tenant.applications.get(id))
      .find((application) => application?.jobId === job.id);
    if (existing) {
      // NOTE: Ashby does not document this error; `application_already_exists` is the sandbox's own code.
      throw new AshbyError(
        'application_already_exists',
        `Candidate ${candidate.id} already has application ${existing.id} for job ${job.id}.`,
      );
    }
    const planId = planForCreate(context, job, input.interviewPlanId);
    if (input.sourceId !== undefined) requireSource(context, input.sourceId);
    if (input.creditedToUserId !== undefined) requireUser(context, input.creditedToUserId);

    const createdAt = input.createdAt !== undefined ? new Date(input.createdAt).toISOString() : context.nowIso;
    let planned: PlannedHistory;
    if (input.applicationHistory !== undefined) {
      planned = historyFromInput(context, planId, input.applicationHistory);
    } else {
      const stage = stageForCreate(context, planId, input.interviewStageId);
      if (stage.type === 'Archived') {
        throw new AshbyError(
          'invalid_input',
          'An application cannot be created in an Archived stage without an archive reason; use applicationHistory or application.changeStage.',
        );
      }
      planned = {
        entries: [
          {
            id: context.newId(),
            stageId: stage.id,
            title: stage.title,
            stageNumber: 0,
            enteredStageAt: createdAt,
            leftStageAt: null,
            actorId: null,
          },
        ],
        current: stage,
        archiveReasonId: null,
      };
    }

    const lastEntry = planned.entries[planned.entries.length - 1];
    const record: Untracked<StoredApplication> = {
      id: context.newId(),
      candidateId: candidate.id,
      jobId: job.id,
      interviewPlanId: planId,
      stageId: planned.current.id,
      status: stageStatus(planned.current.type),
      sourceId: input.sourceId ?? null,
      creditedToUserId: input.creditedToUserId ?? null,
      archiveReasonId: planned.archiveReasonId,
      archivedAt: planned.current.type === 'Archived' ? (lastEntry?.enteredStageAt ?? createdAt) : null,
      createdAt,
      updatedAt: context.nowIso,
      history: planned.entries,
    };
    const application = track<StoredApplication>(context.tenant, record);
    context.tenant.applications.set(application.id, application);
    candidate.applicationIds.push(application.id);
    touch(context.tenant, candidate, context.nowIso);
    return { results: withHistory(context, application) };
  },
};

const applicationList: EndpointDefinition = {
  permission: 'candidatesRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(
      z.object({
        ...pageParams,
        createdAfter: epochMsParam.optional(),
        status: z.enum(['Hired', 'Archived', 'Active', 'Lead']).optional(),
        jobId: uuidParam.optional(),
        expand: z.array(z.enum(['openings'])).optional(),
      }),
      body,
    );
    const applications: StoredApplication[] = [];
    for (const application of context.tenant.applications.values()) {
      if (!applicationVisible(context, application)) continue;
      if (input.status !== undefined && application.status !== input.status) continue;
      if (input.jobId !== undefined && application.jobId !== input.jobId) continue;
      if (input.createdAfter !== undefined && Date.parse(application.createdAt) <= input.createdAfter) continue;
      applications.push(application);
    }
    const filters = { createdAfter: input.createdAfter, status: input.status, jobId: input.jobId };
    const page = context.pagination.page(
      context.tenant,
      'application.list',
      filterKey(filters),
      applications,
      input,
      context.nowMs,
    );
    return { ...page, results: page.results.map((application) => withoutHistory(context, application)) };
  },
};

const applicationInfo: EndpointDefinition = {
  permission: 'candidatesRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(
      z.object({
        applicationId: uuidParam.optional(),
        submittedFormInstanceId: uuidParam.optional(),
        expand: z.array(z.enum(['openings', 'applicationFormSubmissions', 'referrals'])).optional(),
      }),
      body,
    );
    if (input.applicationId === undefined) {
      // The sandbox has no application forms, so no submitted form instance ever matches.
      if (input.submittedFormInstanceId !== undefined) {
        throw new AshbyError('application_not_found', `No application for form instance ${input.submittedFormInstanceId}.`);
      }
      throw new AshbyError('invalid_input', 'Invalid request: applicationId: required.');
    }
    return { results: withHistory(context, requireApplication(context, input.applicationId)) };
  },
};

const applicationChangeStage: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    const input = parseJson(
      z.object({
        applicationId: uuidParam,
        interviewStageId: uuidParam,
        archiveReasonId: uuidParam.optional(),
        archiveEmail: z
          .object({ communicationTemplateId: uuidParam, sendAt: isoDateParam.optional() })
          .optional(),
      }),
      body,
    );
    const application = requireApplication(context, input.applicationId);
    const stage = requirePlanStage(context, application.interviewPlanId, input.interviewStageId);

    // Ashby's changeStage rules: an Archived target needs archiveReasonId, and archive fields on any
    // other target are invalid input.
    if (stage.type === 'Archived') {
      if (input.archiveReasonId === undefined) {
        throw new AshbyError('invalid_input', `Stage ${stage.id} ("${stage.title}") is an Archived stage; send archiveReasonId.`);
      }
      requireArchiveReason(context, input.archiveReasonId);
      if (input.archiveEmail !== undefined) {
        // The sandbox has no communication templates, so every template id is unknown.
        throw new AshbyError(
          'communication_template_not_found',
          `No communication template with id ${input.archiveEmail.communicationTemplateId}.`,
        );
      }
    } else if (input.archiveReasonId !== undefined || input.archiveEmail !== undefined) {
      throw new AshbyError(
        'invalid_input',
        `Stage ${stage.id} ("${stage.title}") is a ${stage.type} stage; archiveReasonId and archiveEmail are only allowed for Archived stages.`,
      );
    }

    if (stage.id !== application.stageId) {
      const previous = application.history[application.history.length - 1];
      if (previous) previous.leftStageAt = context.nowIso;
      application.history.push({
        id: context.newId(),
        stageId: stage.id,
        title: stage.title,
        stageNumber: (previous?.stageNumber ?? -1) + 1,
        enteredStageAt: context.nowIso,
        leftStageAt: null,
        actorId: null,
      });
      application.stageId = stage.id;
    }
    application.status = stageStatus(stage.type);
    if (stage.type === 'Archived') {
      application.archiveReasonId = input.archiveReasonId ?? null;
      application.archivedAt ??= context.nowIso;
    } else {
      application.archiveReasonId = null;
      application.archivedAt = null;
    }
    touch(context.tenant, application, context.nowIso);
    return { results: withoutHistory(context, application) };
  },
};

const applicationChangeSource: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    // `sourceId` is required but may be null, which removes the source.
    const input = parseJson(z.object({ applicationId: uuidParam, sourceId: uuidParam.nullable() }), body);
    const application = requireApplication(context, input.applicationId);
    if (input.sourceId !== null) requireSource(context, input.sourceId);
    application.sourceId = input.sourceId;
    touch(context.tenant, application, context.nowIso);
    return { results: withoutHistory(context, application) };
  },
};

const applicationUpdate: EndpointDefinition = {
  permission: 'candidatesWrite',
  acceptsMultipart: false,
  writes: true,
  handle(context, body) {
    const input = parseJson(
      z.object({
        applicationId: uuidParam,
        sourceId: uuidParam.optional(),
        creditedToUserId: uuidParam.optional(),
        createdAt: isoDateParam.optional(),
        sendNotifications: z.boolean().optional(),
      }),
      body,
    );
    const application = requireApplication(context, input.applicationId);
    if (input.sourceId !== undefined) requireSource(context, input.sourceId);
    if (input.creditedToUserId !== undefined) requireUser(context, input.creditedToUserId);
    if (input.sourceId !== undefined) application.sourceId = input.sourceId;
    if (input.creditedToUserId !== undefined) application.creditedToUserId = input.creditedToUserId;
    if (input.createdAt !== undefined) application.createdAt = new Date(input.createdAt).toISOString();
    touch(context.tenant, application, context.nowIso);
    return { results: withoutHistory(context, application) };
  },
};

export const applicationEndpoints: Record<string, EndpointDefinition> = {
  'application.list': applicationList,
  'application.info': applicationInfo,
  'application.create': applicationCreate,
  'application.changeStage': applicationChangeStage,
  'application.changeSource': applicationChangeSource,
  'application.update': applicationUpdate,
};
