// Push events: sent by the core to the renderer without a request (Electron `webContents.send`,
// or a WebSocket message from the browser host). The renderer only renders them.
import { z } from 'zod';
import { ClientStatus, RunKind, RunStatus } from '../domain.js';
import { QueueCounts } from './clients.js';
import type { EventMap } from './define.js';

export const TaskProgress = z.object({
  taskId: z.number().int().positive(),
  kind: RunKind,
  clientId: z.number().int().positive(),
  roleId: z.number().int().positive().nullable(),
  state: RunStatus,
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Items finished per minute over the recent window; null before there is enough to measure. */
  ratePerMinute: z.number().nonnegative().nullable(),
  /** The engine's sentence about the task (why it failed or stopped), or null. */
  message: z.string().nullable().optional(),
});
export type TaskProgress = z.infer<typeof TaskProgress>;

export const ClientStatusChange = z.object({
  clientId: z.number().int().positive(),
  status: ClientStatus,
  reason: z.string().nullable(),
});
export type ClientStatusChange = z.infer<typeof ClientStatusChange>;

export const QueueCountsChange = QueueCounts.extend({
  clientId: z.number().int().positive(),
});
export type QueueCountsChange = z.infer<typeof QueueCountsChange>;

/** Progress of a pipeline import started with `import:run`. */
export const ImportProgress = z.object({
  clientId: z.number().int().positive(),
  phase: z.enum(['reading', 'writing', 'done']),
  rowsRead: z.number().int().nonnegative(),
  rowsWritten: z.number().int().nonnegative(),
  bytesRead: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

/** A sentence from the engine worth showing once (a client disconnected, a sync failure). */
export const EngineNotice = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  clientId: z.number().int().positive().nullable(),
});
export type EngineNotice = z.infer<typeof EngineNotice>;

export const events = {
  'task:progress': TaskProgress,
  'client:status': ClientStatusChange,
  'queue:counts': QueueCountsChange,
  'import:progress': ImportProgress,
  'engine:notice': EngineNotice,
} satisfies EventMap;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
