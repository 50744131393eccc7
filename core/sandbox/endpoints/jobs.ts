import { z } from 'zod';

import { AshbyError } from '../errors.js';
import { JOB_STATUSES, type JobStatus, type StoredJob, type StoredStage } from '../model.js';
import { jobShape, stageShape } from '../shapes.js';
import {
  epochMsParam,
  filterKey,
  jobVisible,
  pageParams,
  parseJson,
  requireJob,
  uuidParam,
  type ApiContext,
  type EndpointDefinition,
} from './common.js';

const jobListInput = z.object({
  ...pageParams,
  createdAfter: epochMsParam.optional(),
  status: z.array(z.enum(JOB_STATUSES)).optional(),
  openedAfter: epochMsParam.optional(),
  openedBefore: epochMsParam.optional(),
  closedAfter: epochMsParam.optional(),
  closedBefore: epochMsParam.optional(),
  includeUnpublishedJobPostingsIds: z.boolean().optional(),
  expand: z.array(z.enum(['location', 'openings'])).optional(),
});

function timeOf(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

/** Applies `job.list` filters; a job with no opened/closed date never passes a filter on that date. */
function matchesJobFilters(job: StoredJob, input: z.infer<typeof jobListInput>, statuses: readonly JobStatus[]): boolean {
  if (!statuses.includes(job.status)) return false;
  if (input.createdAfter !== undefined && Date.parse(job.createdAt) <= input.createdAfter) return false;
  const openedAt = timeOf(job.openedAt);
  const closedAt = timeOf(job.closedAt);
  if (input.openedAfter !== undefined && (openedAt === null || openedAt <= input.openedAfter)) return false;
  if (input.openedBefore !== undefined && (openedAt === null || openedAt >= input.openedBefore)) return false;
  if (input.closedAfter !== undefined && (closedAt === null || closedAt <= input.closedAfter)) return false;
  if (input.closedBefore !== undefined && (closedAt === null || closedAt >= input.closedBefore)) return false;
  return true;
}

const jobList: EndpointDefinition = {
  permission: 'jobsRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(jobListInput, body);
    // Draft jobs are left out unless the request names Draft in `status` (Ashby's job.list description).
    const statuses: readonly JobStatus[] = input.status ?? ['Open', 'Closed', 'Archived'];
    const jobs = [...context.tenant.jobs.values()].filter(
      (job) => jobVisible(context, job) && matchesJobFilters(job, input, statuses),
    );
    const filters = {
      createdAfter: input.createdAfter,
      status: [...statuses].sort(),
      openedAfter: input.openedAfter,
      openedBefore: input.openedBefore,
      closedAfter: input.closedAfter,
      closedBefore: input.closedBefore,
    };
    const page = context.pagination.page(context.tenant, 'job.list', filterKey(filters), jobs, input, context.nowMs);
    return { ...page, results: page.results.map((job) => jobShape(context.tenant, job)) };
  },
};

const jobInfo: EndpointDefinition = {
  permission: 'jobsRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(
      z.object({
        id: uuidParam,
        includeUnpublishedJobPostingsIds: z.boolean().optional(),
        expand: z.array(z.enum(['location', 'openings'])).optional(),
      }),
      body,
    );
    return { results: jobShape(context.tenant, requireJob(context, input.id)) };
  },
};

/** Stages of a plan in plan order, without stages removed through the admin route. */
export function liveStages(context: ApiContext, planId: string): StoredStage[] | null {
  const plan = context.tenant.plans.get(planId);
  if (!plan) return null;
  const stages: StoredStage[] = [];
  for (const id of plan.stageIds) {
    const stage = context.tenant.stages.get(id);
    if (stage && !stage.deleted) stages.push(stage);
  }
  return stages;
}

const jobInterviewPlanInfo: EndpointDefinition = {
  permission: 'jobsRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ jobId: uuidParam }), body);
    const job = requireJob(context, input.jobId);
    const stages = liveStages(context, job.defaultInterviewPlanId) ?? [];
    return {
      results: {
        jobId: job.id,
        interviewPlanId: job.defaultInterviewPlanId,
        stages: stages.map((stage) => ({
          id: stage.id,
          title: stage.title,
          type: stage.type,
          orderInInterviewPlan: stage.orderInInterviewPlan,
          interviewStageGroupId: stage.interviewStageGroupId,
          activities: [],
        })),
      },
    };
  },
};

const interviewStageList: EndpointDefinition = {
  permission: 'interviewsRead',
  acceptsMultipart: false,
  writes: false,
  handle(context, body) {
    const input = parseJson(z.object({ interviewPlanId: uuidParam }), body);
    const stages = liveStages(context, input.interviewPlanId);
    if (stages === null) {
      throw new AshbyError('interview_plan_not_found', `No interview plan with id ${input.interviewPlanId}.`);
    }
    return { results: stages.map(stageShape), moreDataAvailable: false };
  },
};

export const jobEndpoints: Record<string, EndpointDefinition> = {
  'job.list': jobList,
  'job.info': jobInfo,
  'jobInterviewPlan.info': jobInterviewPlanInfo,
  'interviewStage.list': interviewStageList,
};
