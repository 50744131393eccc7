// One task's progress bar with its counts, used on the dashboard, the roles screen and Tasks.
import { Group, Progress, Text } from '@mantine/core';
import type { LiveTask } from '../state/tasks.js';
import { RUN_KIND_LABELS, RUN_STATUS_COLORS, RUN_STATUS_LABELS } from './labels.js';

export function taskPercent(task: Pick<LiveTask, 'total' | 'done' | 'failed' | 'skipped'>): number {
  if (task.total === 0) return 100;
  return Math.min(100, Math.round(((task.done + task.failed + task.skipped) / task.total) * 100));
}

export function TaskProgressBar({ task, withTitle = true }: { task: LiveTask; withTitle?: boolean }) {
  const percent = taskPercent(task);
  const label = `${RUN_KIND_LABELS[task.kind]}${task.roleTitle ? ` · ${task.roleTitle}` : ''}`;
  return (
    <div data-testid="task-progress" data-task-id={task.id} data-state={task.state} data-percent={percent}>
      {withTitle && (
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            {RUN_STATUS_LABELS[task.state]}
          </Text>
        </Group>
      )}
      <Progress
        value={percent}
        color={RUN_STATUS_COLORS[task.state]}
        animated={task.state === 'running'}
        aria-label={`${label}: ${percent}%`}
        mt={4}
      />
      <Text size="xs" c="dimmed" mt={2}>
        {task.done} done · {task.failed} failed · {task.skipped} skipped · {task.total} in all
        {task.ratePerMinute !== null && task.state === 'running' ? ` · ${task.ratePerMinute}/min` : ''}
      </Text>
    </div>
  );
}
