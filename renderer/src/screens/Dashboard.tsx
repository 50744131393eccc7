// The dashboard: one card per client with its status and queue counts. With no clients yet it
// shows the first-run empty state.
import {
  Alert,
  Badge,
  Card,
  EmptyState,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { ClientSummary } from '../../../shared/contract/index.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useClients } from '../state/clients.js';

const STATUS_COLORS: Record<ClientSummary['status'], string> = {
  connected: 'teal',
  needs_attention: 'yellow',
  disconnected: 'red',
  offline: 'gray',
};

const STATUS_LABELS: Record<ClientSummary['status'], string> = {
  connected: 'Connected',
  needs_attention: 'Needs attention',
  disconnected: 'Disconnected',
  offline: 'Offline',
};

export function Dashboard() {
  const { clients, reload } = useClients();
  const ready = clients.status !== 'loading';

  return (
    <Stack data-testid="dashboard" data-ready={ready ? 'true' : 'false'} gap="md">
      <Title order={2}>Dashboard</Title>
      {clients.status === 'loading' && <Loader aria-label="Loading clients" />}
      {clients.status === 'error' && <ErrorAlert error={clients.error} onRetry={reload} />}
      {clients.status === 'ready' && clients.value.length === 0 && <NoClients />}
      {clients.status === 'ready' && clients.value.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} aria-label="Clients">
          {clients.value.map((client) => (
            <ClientCard key={client.id} client={client} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function NoClients() {
  return (
    <EmptyState
      title="No clients yet"
      description="Connect a client's Ashby tenant with its API key to start syncing candidates."
      withIndicatorBackground
      icon={<span aria-hidden="true">∅</span>}
    >
      {/* The first-run "Explore with demo data" button goes here. */}
      <EmptyState.Actions data-testid="first-run-actions" />
    </EmptyState>
  );
}

function ClientCard({ client }: { client: ClientSummary }) {
  return (
    <Card withBorder padding="md" component="article" aria-label={client.name}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{client.name}</Text>
        <Group gap={4}>
          {client.isSandbox && <Badge variant="outline">Sandbox</Badge>}
          <Badge color={STATUS_COLORS[client.status]}>{STATUS_LABELS[client.status]}</Badge>
        </Group>
      </Group>
      {client.statusReason && (
        <Alert color={STATUS_COLORS[client.status]} variant="light" mb="xs">
          {client.statusReason}
        </Alert>
      )}
      <Text size="sm">
        {client.counts.pending} pending · {client.counts.review} in review · {client.counts.failed}{' '}
        failed · {client.counts.needsAttention} need attention
      </Text>
      <Text size="xs" c="dimmed">
        {client.lastPushAt
          ? `Last push ${new Date(client.lastPushAt).toLocaleString()}`
          : 'Nothing pushed yet'}
      </Text>
    </Card>
  );
}
