// Running and finished background tasks with progress, counts, rate, failures with reasons, and
// pause / resume / cancel / retry failed. Progress comes from push events through useTasks().
import { Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../shared/errors.js';
import type { Result } from '../../../shared/result.js';
import { api } from '../api/transport.js';
import { useCall } from '../api/use-call.js';
import { EVENT_LABELS, RUN_KIND_LABELS, RUN_STATUS_COLORS, RUN_STATUS_LABELS } from '../components/labels.js';
import { TaskProgressBar } from '../components/TaskProgress.js';
import { actionForReason } from '../errors.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useClients } from '../state/clients.js';
import { useNavigation } from '../state/navigation.js';
import { useTasks, type LiveTask } from '../state/tasks.js';
import { plural } from '../components/plural.js';

export function Tasks() {
  const { tasks, reload } = useTasks();
  const { selectedClientId } = useClients();
  const list = tasks.status === 'ready' ? tasks.value.filter((task) => selectedClientId === null || task.clientId === selectedClientId) : [];

  return (
    <Stack data-testid="tasks" data-ready={tasks.status === 'ready' ? 'true' : 'false'}>
      <Group justify="space-between">
        <Title order={2}>Tasks</Title>
        <Button variant="default" onClick={reload}>
          Refresh
        </Button>
      </Group>
      {tasks.status === 'loading' && <Loader aria-label="Loading tasks" />}
      {tasks.status === 'error' && <ErrorAlert error={tasks.error} onRetry={reload} />}
      {tasks.status === 'ready' && list.length === 0 && <Text>No tasks yet. Linking a role or pushing candidates starts one.</Text>}
      {list.map((task) => (
        <TaskCard key={task.id} task={task} onChanged={reload} />
      ))}
    </Stack>
  );
}

function TaskCard({ task, onChanged }: { task: LiveTask; onChanged(): void }) {
  const { navigate } = useNavigation();
  const { selectClient } = useClients();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [showFailures, setShowFailures] = useState(false);
  const taskId = task.id;

  const control = async (call: () => Promise<Result<unknown>>) => {
    setBusy(true);
    setError(null);
    const result = await call();
    setBusy(false);
    if (!result.ok) setError(result.error);
    onChanged();
  };

  const { clients } = useClients();
  const client = clients.status === 'ready' ? clients.value.find((entry) => entry.id === task.clientId) : undefined;
  const waitingForClient = client !== undefined && client.status !== 'connected' && (task.state === 'running' || task.state === 'paused');
  const running = task.state === 'running';
  const paused = task.state === 'paused';
  const isRun = task.kind === 'bulk_push';
  return (
    <Card withBorder data-testid="task-card" data-task-id={task.id} data-kind={task.kind} data-state={task.state}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>
          {RUN_KIND_LABELS[task.kind]} · {task.clientName}
          {task.roleTitle ? ` · ${task.roleTitle}` : ''}
        </Text>
        <Group gap="xs">
          <Badge color={RUN_STATUS_COLORS[task.state]}>{RUN_STATUS_LABELS[task.state]}</Badge>
          <Text size="xs" c="dimmed">
            started {new Date(task.createdAt).toLocaleString()}
          </Text>
        </Group>
      </Group>
      <TaskProgressBar task={task} withTitle={false} />
      {task.message && (
        <Text size="sm" mt="xs">
          {task.message}
        </Text>
      )}
      {waitingForClient && client && (
        <Alert color="red" variant="light" mt="xs" data-testid="task-waiting-for-client">
          Waiting: {client.name} is {client.status === 'needs_attention' ? 'in need of attention' : client.status}
          {client.statusReason ? ` (${client.statusReason})` : ''}. Its pushes resume when it is reconnected.
          <Button size="compact-xs" variant="subtle" ml="xs" onClick={() => {
              selectClient(client.id);
              navigate('settings');
            }}>
            Reconnect
          </Button>
        </Alert>
      )}
      <Group mt="sm" gap="xs">
        {isRun && running && (
          <Button size="xs" variant="default" loading={busy} onClick={() => void control(() => api.tasks.pause({ taskId }))}>
            Pause
          </Button>
        )}
        {isRun && paused && (
          <Button size="xs" loading={busy} onClick={() => void control(() => api.tasks.resume({ taskId }))}>
            Resume
          </Button>
        )}
        {isRun && (running || paused) && (
          <Button size="xs" color="red" variant="light" loading={busy} onClick={() => void control(() => api.tasks.cancel({ taskId }))}>
            Cancel
          </Button>
        )}
        {isRun && task.failed > 0 && !running && (
          <Button size="xs" variant="light" loading={busy} onClick={() => void control(() => api.tasks.retryFailed({ taskId }))}>
            Retry failed
          </Button>
        )}
        {task.failed > 0 && (
          <Button size="xs" variant="subtle" onClick={() => setShowFailures((value) => !value)} aria-expanded={showFailures}>
            {showFailures ? 'Hide failures' : `Show ${plural(task.failed, 'failure')}`}
          </Button>
        )}
      </Group>
      {error && (
        <Stack mt="xs">
          <ErrorAlert error={error} />
        </Stack>
      )}
      {showFailures && <Failures taskId={taskId} clientId={task.clientId} failed={task.failed} />}
    </Card>
  );
}

function Failures({ taskId, clientId, failed }: { taskId: number; clientId: number; failed: number }) {
  const { navigate } = useNavigation();
  const { selectClient } = useClients();
  const load = useCallback(() => api.tasks.failures({ taskId }), [taskId]);
  const [failures, reload] = useCall(load);
  // The list follows the task while its failure count changes.
  useEffect(() => reload(), [failed, reload]);
  if (failures.status === 'loading') return <Loader size="sm" aria-label="Loading failures" />;
  if (failures.status === 'error') return <ErrorAlert error={failures.error} onRetry={reload} />;
  return (
    <Table mt="sm" striped withTableBorder aria-label="Failed items" data-testid="task-failures">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Candidate</Table.Th>
          <Table.Th>Event</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Reason</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {failures.value.map((failure) => {
          const fix = actionForReason(failure.reason);
          return (
            <Table.Tr key={failure.outboxId}>
              <Table.Td>{failure.candidateName}</Table.Td>
              <Table.Td>{EVENT_LABELS[failure.event]}</Table.Td>
              <Table.Td>{failure.status}</Table.Td>
              <Table.Td>
                {failure.reason ?? '—'}
                {fix && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    ml="xs"
                    onClick={() => {
                      selectClient(clientId);
                      navigate('settings');
                    }}
                  >
                    {fix.label}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
