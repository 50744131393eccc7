// Turns push events into notifications: one when a task finishes, one when a client needs
// attention or is disconnected. Notifications are keyed by what they are about, so a client that
// fails a hundred items shows one notification, not a hundred.
import { notifications, notificationsStore } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import type { TaskProgress } from '../../../shared/contract/index.js';
import { subscribe } from '../api/transport.js';
import { FINISHED_STATES } from '../state/tasks.js';
import { useClients } from '../state/clients.js';
import { plural } from '../components/plural.js';

/** Mantine's close button has no text, so it gets a name for screen readers. */
const CLOSE_BUTTON = { 'aria-label': 'Dismiss notification' };

const KIND_LABELS: Record<TaskProgress['kind'], string> = {
  bulk_push: 'Bulk push',
  link_resolution: 'Link resolution',
  import: 'Import',
};

function taskMessage(progress: TaskProgress): { title: string; message: string; color: string } {
  const kind = KIND_LABELS[progress.kind];
  const counts = `${progress.done} done, ${progress.failed} failed, ${progress.skipped} skipped of ${progress.total}.`;
  switch (progress.state) {
    case 'completed':
      return { title: `${kind} finished`, message: counts, color: 'teal' };
    case 'completed_with_failures':
      return { title: `${kind} finished with ${plural(progress.failed, 'failure')}`, message: `${counts} The Tasks screen lists the reasons.`, color: 'yellow' };
    case 'cancelled':
      return { title: `${kind} cancelled`, message: counts, color: 'gray' };
    default:
      return { title: `${kind} failed`, message: progress.message ?? counts, color: 'red' };
  }
}

export function Notifier() {
  const { clients } = useClients();
  const names = useRef(new Map<number, string>());
  const finished = useRef(new Set<number>());

  useEffect(() => {
    if (clients.status === 'ready') names.current = new Map(clients.value.map((client) => [client.id, client.name]));
  }, [clients]);

  useEffect(() => {
    const stopTasks = subscribe('task:progress', (progress) => {
      if (!FINISHED_STATES.has(progress.state) || finished.current.has(progress.taskId)) return;
      finished.current.add(progress.taskId);
      const shown = taskMessage(progress);
      const client = names.current.get(progress.clientId);
      notifications.show({
        id: `task-${progress.taskId}`,
        title: client ? `${shown.title} · ${client}` : shown.title,
        message: shown.message,
        color: shown.color,
        autoClose: 8000,
        closeButtonProps: CLOSE_BUTTON,
      });
    });
    const stopStatus = subscribe('client:status', (change) => {
      const id = `client-${change.clientId}`;
      if (change.status === 'connected') {
        notifications.hide(id);
        return;
      }
      if (change.status !== 'needs_attention' && change.status !== 'disconnected') return;
      const client = names.current.get(change.clientId) ?? `Client ${change.clientId}`;
      const shown = {
        id,
        title: change.status === 'disconnected' ? `${client} is disconnected` : `${client} needs attention`,
        message: change.reason ?? 'Open the client settings to see why.',
        color: change.status === 'disconnected' ? 'red' : 'yellow',
        autoClose: false as const,
        closeButtonProps: CLOSE_BUTTON,
      };
      // Updating by id keeps one notification per client while the problem lasts.
      const state = notificationsStore.getState();
      if ([...state.notifications, ...state.queue].some((entry) => entry.id === id)) notifications.update(shown);
      else notifications.show(shown);
    });
    return () => {
      stopTasks();
      stopStatus();
    };
  }, []);

  return null;
}
