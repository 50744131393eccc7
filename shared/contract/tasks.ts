// Channels of the tasks screen: bulk pushes, link resolutions and imports with their counts, the
// failed items of a task with reasons, and the run controls.
import { z } from 'zod';
import { LifecycleEvent, OutboxStatus, RunKind, RunStatus } from '../domain.js';
import type { ChannelMap } from './define.js';

const count = z.number().int().nonnegative();

export const TaskSummary = z.object({
  id: z.number().int().positive(),
  kind: RunKind,
  clientId: z.number().int().positive(),
  clientName: z.string(),
  roleId: z.number().int().positive().nullable(),
  roleTitle: z.string().nullable(),
  state: RunStatus,
  total: count,
  done: count,
  failed: count,
  skipped: count,
  message: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TaskSummary = z.infer<typeof TaskSummary>;

export const TaskFailure = z.object({
  outboxId: z.number().int().positive(),
  candidateId: z.number().int().positive(),
  candidateName: z.string(),
  event: LifecycleEvent,
  status: OutboxStatus,
  reason: z.string().nullable(),
});
export type TaskFailure = z.infer<typeof TaskFailure>;

const TaskInput = z.strictObject({ taskId: z.number().int().positive() });

export const tasksChannels = {
  /** Newest first; running and paused tasks always come before finished ones. */
  'tasks:list': {
    input: z.strictObject({
      clientId: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.array(TaskSummary),
  },
  'tasks:failures': { input: TaskInput, output: z.array(TaskFailure) },
  'tasks:pause': { input: TaskInput, output: TaskSummary },
  'tasks:resume': { input: TaskInput, output: TaskSummary },
  'tasks:cancel': { input: TaskInput, output: TaskSummary },
  /** Re-queues only the task's failed items. */
  'tasks:retryFailed': { input: TaskInput, output: z.object({ retried: count }) },
} satisfies ChannelMap;
