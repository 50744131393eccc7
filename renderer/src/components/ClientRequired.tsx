// Screens about one client show this until a client is chosen in the header's switcher.
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ClientSummary } from '../../../shared/contract/index.js';
import { useClients } from '../state/clients.js';
import { useNavigation } from '../state/navigation.js';

export function ClientRequired({
  title,
  children,
}: {
  title: string;
  children: (client: ClientSummary) => ReactNode;
}) {
  const { clients, selectedClientId, selectClient } = useClients();
  const { navigate } = useNavigation();
  const list = clients.status === 'ready' ? clients.value : [];
  const client = list.find((entry) => entry.id === selectedClientId);
  if (client) return <>{children(client)}</>;

  return (
    <Stack data-testid="choose-client" data-ready={clients.status === 'ready' ? 'true' : 'false'}>
      <Title order={2}>{title}</Title>
      {list.length === 0 ? (
        <>
          <Text>No client is connected yet.</Text>
          <Group>
            <Button onClick={() => navigate('connect')}>Connect a client</Button>
          </Group>
        </>
      ) : (
        <>
          <Text>Choose a client in the header, or here:</Text>
          <Group>
            {list.map((entry) => (
              <Button key={entry.id} variant="default" onClick={() => selectClient(entry.id)}>
                {entry.name}
              </Button>
            ))}
          </Group>
        </>
      )}
    </Stack>
  );
}
