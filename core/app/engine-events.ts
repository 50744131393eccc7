// Forwards the sync engine's events to the contract's push events, converting each payload to the
// contract's shape (the engine counts rates per second; the screens show them per minute).
import type { ClientStatusEvent, EngineNotice, QueueCountsEvent, TaskProgress } from '../engine/events.js';
import { toUnfinishedCounts } from '../engine/outbox-store.js';
import type { Services } from '../services/index.js';
import type { AppEvents } from './events.js';

/** Subscribes to the engine's events; returns a function that unsubscribes. */
export function forwardEngineEvents(services: Services, events: AppEvents): () => void {
  const engineEvents = services.engine.events;

  const onProgress = (progress: TaskProgress): void => {
    events.emit('task:progress', {
      taskId: progress.runId,
      kind: progress.kind,
      clientId: progress.clientId,
      roleId: progress.roleId,
      state: progress.status,
      total: progress.total,
      done: progress.done,
      failed: progress.failed,
      skipped: progress.skipped,
      ratePerMinute: progress.rate > 0 ? Math.round(progress.rate * 60 * 10) / 10 : null,
      message: progress.message,
    });
  };
  const onStatus = (change: ClientStatusEvent): void => {
    events.emit('client:status', { clientId: change.clientId, status: change.status, reason: change.reason });
  };
  const onCounts = (change: QueueCountsEvent): void => {
    events.emit('queue:counts', { clientId: change.clientId, ...toUnfinishedCounts(change.counts) });
  };
  const onNotice = (notice: EngineNotice): void => {
    // Start and stop notices are for the log, not for the admin.
    if (notice.level === 'info') return;
    events.emit('engine:notice', { level: notice.level, message: notice.message, clientId: notice.clientId ?? null });
  };

  engineEvents.on('task:progress', onProgress);
  engineEvents.on('client:status', onStatus);
  engineEvents.on('queue:counts', onCounts);
  engineEvents.on('notice', onNotice);
  return () => {
    engineEvents.off('task:progress', onProgress);
    engineEvents.off('client:status', onStatus);
    engineEvents.off('queue:counts', onCounts);
    engineEvents.off('notice', onNotice);
  };
}
