// The dashboard: one card per client with its health and reason, queue counts, last successful
// push and running tasks. With no clients yet it is the first-run screen, which offers the demo.
import {
  Alert,
  Badge,
  UnstyledButton,
  Button,
  Card,
  EmptyState,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ClientSummary } from '../../../shared/contract/index.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { api } from '../api/transport.js';
import { CLIENT_STATUS_COLORS, CLIENT_STATUS_LABELS } from '../components/labels.js';
import { TaskProgressBar } from '../components/TaskProgress.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useClients } from '../state/clients.js';
import { useNavigation } from '../state/navigation.js';
import { useTasks, type LiveTask } from '../state/tasks.js';

export function Dashboard() {
  const { clients, reload } = useClients();
  const { tasks } = useTasks();
  const { navigate } = useNavigation();
  const ready = clients.status !== 'loading';
  // Counts and the last push time change while other screens are shown.
  useEffect(() => reload(), [reload]);
  const running = tasks.status === 'ready' ? tasks.value.filter((task) => task.state === 'running' || task.state === 'paused') : [];

  return (
    <Stack data-testid="dashboard" data-ready={ready ? 'true' : 'false'} gap="md">
      <Group justify="space-between">
        <Title order={2}>Dashboard</Title>
        {clients.status === 'ready' && clients.value.length > 0 && (
          <Button variant="light" onClick={() => navigate('connect')}>
            Connect a client
          </Button>
        )}
      </Group>
      {clients.status === 'loading' && <Loader aria-label="Loading clients" />}
      {clients.status === 'error' && <ErrorAlert error={clients.error} onRetry={reload} />}
      {clients.status === 'ready' && clients.value.length === 0 && <FirstRun onStarted={reload} />}
      {clients.status === 'ready' && clients.value.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} aria-label="Clients">
          {clients.value.map((client) => (
            <ClientCard
              key={client.id}
              client={client}
              tasks={running.filter((task) => task.clientId === client.id)}
            />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function FirstRun({ onStarted }: { onStarted: () => void }) {
  const { navigate } = useNavigation();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const startDemo = async () => {
    setStarting(true);
    setError(null);
    const result = await api.demo.start();
    setStarting(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onStarted();
  };

  return (
    <Stack>
      <EmptyState
        title="No clients yet"
        description="Connect a client's Ashby tenant with its API key to start syncing candidates, or explore the console with three demo clients first."
        withIndicatorBackground
        icon={<span aria-hidden="true">∅</span>}
      >
        <EmptyState.Actions data-testid="first-run-actions">
          <Button onClick={() => void startDemo()} loading={starting} data-testid="start-demo">
            Explore with demo data
          </Button>
          <Button variant="default" onClick={() => navigate('connect')}>
            Connect a client
          </Button>
        </EmptyState.Actions>
      </EmptyState>
      <Text size="sm" c="dimmed" ta="center">
        The demo runs a built-in imitation of Ashby inside the console, connects its three demo
        organisations and imports their sample pipeline exports. Demo keys are not secrets, so no
        keychain is needed.
      </Text>
      {error && <ErrorAlert error={error} onRetry={() => void startDemo()} />}
    </Stack>
  );
}

function ClientCard({ client, tasks }: { client: ClientSummary; tasks: LiveTask[] }) {
  const { selectClient } = useClients();
  const { navigate } = useNavigation();
  const open = (screenId: string) => {
    selectClient(client.id);
    navigate(screenId);
  };

  return (
    <Card
      withBorder
      padding="md"
      component="article"
      aria-label={client.name}
      data-testid="client-card"
      data-client-name={client.name}
      data-status={client.status}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Text fw={600}>{client.name}</Text>
        <Group gap={4} wrap="nowrap">
          {client.isSandbox && <Badge variant="outline">Sandbox</Badge>}
          <Badge color={CLIENT_STATUS_COLORS[client.status]} data-testid="client-status">
            {CLIENT_STATUS_LABELS[client.status]}
          </Badge>
        </Group>
      </Group>
      {client.statusReason && (
        <Alert color={CLIENT_STATUS_COLORS[client.status]} variant="light" mb="xs" data-testid="client-status-reason">
          {client.statusReason}
        </Alert>
      )}
      <Group gap="lg" mb="xs">
        <Count label="Pending" value={client.counts.pending} />
        <Count label="Waiting review" value={client.counts.review} onOpen={() => open('review')} />
        <Count label="Failed" value={client.counts.failed} onOpen={() => open('review')} />
        <Count label="Need attention" value={client.counts.needsAttention} onOpen={() => open('review')} />
      </Group>
      <Text size="xs" c="dimmed">
        {client.lastPushAt
          ? `Last successful push ${new Date(client.lastPushAt).toLocaleString()}`
          : 'Nothing pushed yet'}
      </Text>
      {tasks.length > 0 && (
        <Stack gap="xs" mt="sm" aria-label={`Running tasks of ${client.name}`}>
          {tasks.map((task) => (
            <TaskProgressBar key={task.id} task={task} />
          ))}
        </Stack>
      )}
      <Group gap="xs" mt="sm">
        <Button size="xs" variant="light" onClick={() => open('roles')}>
          Roles
        </Button>
        <Button size="xs" variant="subtle" onClick={() => open('settings')}>
          Settings
        </Button>
      </Group>
    </Card>
  );
}

/** A queue count; with `onOpen` and a non-zero value it opens the Review screen for the client. */
function Count({ label, value, onOpen }: { label: string; value: number; onOpen?: () => void }) {
  if (onOpen !== undefined && value > 0) {
    return (
      <UnstyledButton onClick={onOpen} aria-label={`${label}: ${value}, open in Review`} data-testid="count-link">
        <Text size="lg" fw={600} lh={1.1} c="blue">
          {value}
        </Text>
        <Text size="xs" c="dimmed" td="underline">
          {label}
        </Text>
      </UnstyledButton>
    );
  }
  return (
    <div>
      <Text size="lg" fw={600} lh={1.1}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </div>
  );
}
