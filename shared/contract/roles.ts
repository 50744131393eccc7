// Channels about a client's roles: listing them, linking one to an Ashby job (which starts a
// link-resolution task), unlinking, and the event → stage mapping of the linked job's plan.
import { z } from 'zod';
import { AshbyDisplayStatus, LifecycleEvent, PipelineState } from '../domain.js';
import type { ChannelMap } from './define.js';

export const ROLE_LINK_STATUSES = ['unlinked', 'resolving', 'linked', 'needs_attention'] as const;
export const RoleLinkStatus = z.enum(ROLE_LINK_STATUSES);
export type RoleLinkStatus = z.infer<typeof RoleLinkStatus>;

const count = z.number().int().nonnegative();

export const RoleSummary = z.object({
  id: z.number().int().positive(),
  /** The role's id in the pipeline export. */
  externalId: z.string(),
  title: z.string(),
  ashbyJobId: z.string().nullable(),
  ashbyJobTitle: z.string().nullable(),
  linkStatus: RoleLinkStatus,
  linkStatusReason: z.string().nullable(),
  candidates: count,
  byState: z.record(PipelineState, count),
  /** Candidates per display status, so people in Ashby without an application here are not counted as not in Ashby. */
  byAshbyStatus: z.record(AshbyDisplayStatus, count),
});
export type RoleSummary = z.infer<typeof RoleSummary>;

export const PlanStage = z.object({ id: z.string(), title: z.string(), type: z.string() });
export type PlanStage = z.infer<typeof PlanStage>;

export const EventStage = z.object({
  event: LifecycleEvent,
  enabled: z.boolean(),
  stage: PlanStage.nullable(),
  /** `override` when an admin chose the stage, `plan` when the console found it in the plan. */
  source: z.enum(['plan', 'override']).nullable(),
  /** Why no stage is mapped, when `stage` is null. */
  problem: z.string().nullable(),
});
export type EventStage = z.infer<typeof EventStage>;

export const StageMapping = z.object({
  roleId: z.number().int().positive(),
  jobId: z.string().nullable(),
  jobTitle: z.string().nullable(),
  planKnown: z.boolean(),
  events: z.array(EventStage),
  /** True when every enabled event has a stage. */
  complete: z.boolean(),
  /** Every stage of the plan, for the override picker. */
  stages: z.array(PlanStage),
});
export type StageMapping = z.infer<typeof StageMapping>;

const RoleInput = z.strictObject({
  clientId: z.number().int().positive(),
  roleId: z.number().int().positive(),
});

export const rolesChannels = {
  'roles:list': {
    input: z.strictObject({ clientId: z.number().int().positive() }),
    output: z.array(RoleSummary),
  },
  /** Links the role and starts link resolution; returns at once with the task id. */
  'roles:link': {
    input: RoleInput.extend({ jobId: z.string().trim().min(1) }),
    output: z.object({ role: RoleSummary, taskId: z.number().int().positive() }),
  },
  'roles:unlink': { input: RoleInput, output: RoleSummary },
  'roles:mapping': { input: RoleInput, output: StageMapping },
  /** Sets (or with null clears) the stage an event moves to for this role. */
  'roles:setOverride': {
    input: RoleInput.extend({ event: LifecycleEvent, stageId: z.string().min(1).nullable() }),
    output: StageMapping,
  },
} satisfies ChannelMap;
