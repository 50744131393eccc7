// Handlers for the `tasks:*` channels: list, failures, and pause / resume / cancel / retry failed.
import type { HandlerMap } from '../registry.js';
import { listTaskFailures, listTasks, requireTask } from '../tasks-query.js';

export const tasksHandlers = {
  'tasks:list': ({ clientId, limit }, { db }) =>
    listTasks(db, {
      ...(clientId === undefined ? {} : { clientId }),
      ...(limit === undefined ? {} : { limit }),
    }),

  'tasks:failures': ({ taskId }, { db }) => listTaskFailures(db, taskId),

  'tasks:pause': ({ taskId }, { db, services }) => {
    requireTask(db, taskId);
    services.engine.pauseRun(taskId);
    return requireTask(db, taskId);
  },

  'tasks:resume': ({ taskId }, { db, services }) => {
    requireTask(db, taskId);
    services.engine.resumeRun(taskId);
    return requireTask(db, taskId);
  },

  'tasks:cancel': ({ taskId }, { db, services }) => {
    requireTask(db, taskId);
    services.engine.cancelRun(taskId);
    return requireTask(db, taskId);
  },

  'tasks:retryFailed': ({ taskId }, { db, services }) => {
    requireTask(db, taskId);
    return { retried: services.engine.retryFailed(taskId) };
  },
} satisfies Pick<
  HandlerMap,
  'tasks:list' | 'tasks:failures' | 'tasks:pause' | 'tasks:resume' | 'tasks:cancel' | 'tasks:retryFailed'
>;
