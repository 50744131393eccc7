// Progress events of the engine: queue counts per client (coalesced while the engine runs) and
// run progress with its rate of finished items.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { EngineEvents, TaskProgress } from './events.js';
import { queueCounts } from './outbox-store.js';
import { refreshBulkRun, type RunRow } from './runs.js';

export interface ProgressEventDeps {
  db: Database.Database;
  clock: Clock;
  events: EngineEvents;
  isStarted(): boolean;
}

/** Milliseconds between two recounts of a running bulk push. */
const RUN_REFRESH_MS = 100;

export function createProgressEvents(deps: ProgressEventDeps) {
  const { db, clock, events, isStarted } = deps;
  const completions = new Map<number, number[]>();

  const countTimers = new Map<number, NodeJS.Timeout>();
  function emitQueueCounts(clientId: number): void {
    if (!isStarted()) {
      // A stopped engine has no timer to coalesce with, and a later timer could outlive the
      // database, so the counts go out at once.
      events.emit('queue:counts', { clientId, counts: queueCounts(db, clientId) });
      return;
    }
    if (countTimers.has(clientId)) return;
    // Coalesces bursts: a bulk push finishing hundreds of items emits a few updates, not hundreds.
    const timer = setTimeout(() => {
      countTimers.delete(clientId);
      events.emit('queue:counts', { clientId, counts: queueCounts(db, clientId) });
    }, 100);
    timer.unref();
    countTimers.set(clientId, timer);
  }

  function rateOf(runId: number): number {
    const now = Date.now();
    const times = (completions.get(runId) ?? []).filter((time) => now - time <= 60_000);
    completions.set(runId, times);
    if (times.length < 2) return times.length === 0 ? 0 : 1;
    const spanSeconds = Math.max(1, (now - (times[0] as number)) / 1000);
    return Math.round((times.length / spanSeconds) * 10) / 10;
  }

  function emitRun(run: RunRow | undefined): void {
    if (run === undefined) return;
    const progress: TaskProgress = {
      runId: run.id,
      kind: run.kind,
      clientId: run.client_id,
      roleId: run.role_id,
      status: run.status,
      total: run.total,
      done: run.done,
      failed: run.failed,
      skipped: run.skipped,
      rate: rateOf(run.id),
      message: run.message,
    };
    events.emit('task:progress', progress);
  }

  const runTimers = new Map<number, NodeJS.Timeout>();
  const lastRefresh = new Map<number, number>();
  function refreshRun(runId: number): void {
    lastRefresh.set(runId, Date.now());
    emitRun(refreshBulkRun(db, clock, runId));
  }

  function noteRunItemFinished(runId: number | null): void {
    if (runId === null) return;
    const times = completions.get(runId) ?? [];
    times.push(Date.now());
    completions.set(runId, times);
    if (!isStarted()) {
      refreshRun(runId);
      return;
    }
    if (runTimers.has(runId)) return;
    // A run is recounted at once, then at most every RUN_REFRESH_MS while items keep finishing,
    // so a push of thousands of items recounts ten times a second rather than once per item.
    const wait = RUN_REFRESH_MS - (Date.now() - (lastRefresh.get(runId) ?? 0));
    if (wait <= 0) {
      refreshRun(runId);
      return;
    }
    const timer = setTimeout(() => {
      runTimers.delete(runId);
      refreshRun(runId);
    }, wait);
    timer.unref();
    runTimers.set(runId, timer);
  }

  /** Recounts the runs still waiting on a coalescing timer, so an idle engine reports them finished. */
  function flushRunRefreshes(): void {
    for (const [runId, timer] of runTimers) {
      clearTimeout(timer);
      refreshRun(runId);
    }
    runTimers.clear();
  }

  /** Sends the counts still waiting on a coalescing timer, so a stopped engine leaves no timer. */
  function flushQueueCounts(): void {
    for (const [clientId, timer] of countTimers) {
      clearTimeout(timer);
      events.emit('queue:counts', { clientId, counts: queueCounts(db, clientId) });
    }
    countTimers.clear();
  }

  return { emitQueueCounts, emitRun, noteRunItemFinished, flushQueueCounts, flushRunRefreshes };
}
