// Banner for clients whose Ashby cannot be reached: their pushes wait in the queue and are sent
// once Ashby is reachable again. Follows `client:status` and `queue:counts` through useClients().
import { Alert, Text } from '@mantine/core';
import { useClients } from '../state/clients.js';
import { plural } from './plural.js';

export function OfflineBanner({ clientId }: { clientId?: number | null }) {
  const { clients } = useClients();
  if (clients.status !== 'ready') return null;
  const offline = clients.value.filter(
    (client) => client.status === 'offline' && (clientId === undefined || clientId === null || client.id === clientId),
  );
  if (offline.length === 0) return null;

  return (
    <Alert color="orange" title="Ashby cannot be reached" mb="md" data-testid="offline-banner" role="status">
      {offline.map((client) => {
        const waiting = client.counts.pending + client.counts.review;
        return (
          <Text key={client.id} size="sm" data-testid="offline-client" data-client-id={client.id} data-pending={waiting}>
            {client.name}: {plural(waiting, 'push', 'pushes')} {waiting === 1 ? 'waits' : 'wait'} and will be sent when Ashby is reachable
            again.
            {client.statusReason ? ` Last error: ${client.statusReason}` : ''}
          </Text>
        );
      })}
    </Alert>
  );
}
