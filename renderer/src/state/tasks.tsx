// Background tasks (bulk pushes, link resolutions, imports) for the dashboard and the tasks screen.
// Progress events can arrive hundreds of times a second during a bulk push, so they are collected
// and applied to React state at most once per PROGRESS_FLUSH_MS.
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TaskProgress, TaskSummary } from '../../../shared/contract/index.js';
import { api, subscribe } from '../api/transport.js';
import { useCall, type CallState } from '../api/use-call.js';

/** Minimum time between two renders of task progress, in milliseconds. */
export const PROGRESS_FLUSH_MS = 250;

export interface LiveTask extends TaskSummary {
  /** Items finished per minute, from the latest progress event; null when not measured. */
  ratePerMinute: number | null;
}

export interface TasksValue {
  tasks: CallState<LiveTask[]>;
  reload(): void;
}

const TasksContext = createContext<TasksValue | null>(null);

const listTasks = () => api.tasks.list({ limit: 200 });

export const FINISHED_STATES: ReadonlySet<TaskSummary['state']> = new Set([
  'cancelled',
  'completed',
  'completed_with_failures',
  'failed',
]);

function merge(task: LiveTask, progress: TaskProgress): LiveTask {
  return {
    ...task,
    state: progress.state,
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
    skipped: progress.skipped,
    message: progress.message ?? task.message,
    ratePerMinute: progress.ratePerMinute,
  };
}

export function TasksProvider({ children }: { children: ReactNode }) {
  const [loaded, reload] = useCall(listTasks);
  const [live, setLive] = useState<Map<number, TaskProgress>>(new Map());
  const buffer = useRef<Map<number, TaskProgress>>(new Map());
  const knownIds = useRef<Set<number>>(new Set());

  useEffect(() => {
    if (loaded.status === 'ready') knownIds.current = new Set(loaded.value.map((task) => task.id));
  }, [loaded]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const pending = buffer.current;
      buffer.current = new Map();
      setLive((previous) => {
        const next = new Map(previous);
        for (const [id, progress] of pending) next.set(id, progress);
        return next;
      });
      // A task this renderer has not seen yet (started elsewhere, or just now) needs its names.
      if ([...pending.keys()].some((id) => !knownIds.current.has(id))) reload();
    };
    const stop = subscribe('task:progress', (progress) => {
      buffer.current.set(progress.taskId, progress);
      timer ??= setTimeout(flush, PROGRESS_FLUSH_MS);
    });
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [reload]);

  const tasks = useMemo<CallState<LiveTask[]>>(() => {
    if (loaded.status !== 'ready') return loaded;
    return {
      status: 'ready',
      value: loaded.value.map((task) => {
        const base: LiveTask = { ...task, ratePerMinute: null };
        const progress = live.get(task.id);
        return progress === undefined ? base : merge(base, progress);
      }),
    };
  }, [loaded, live]);

  const value = useMemo(() => ({ tasks, reload }), [tasks, reload]);
  return <TasksContext.Provider value={value}>{children}</TasksContext.Provider>;
}

export function useTasks(): TasksValue {
  const value = useContext(TasksContext);
  if (!value) throw new Error('useTasks() must be used inside <TasksProvider>.');
  return value;
}
