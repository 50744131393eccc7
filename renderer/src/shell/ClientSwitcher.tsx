// The header's client switcher: always visible, so it is clear whose data is on screen.
import { Select } from '@mantine/core';
import { useClients } from '../state/clients.js';

const ALL_CLIENTS = 'all';

export function ClientSwitcher() {
  const { clients, selectedClientId, selectClient } = useClients();
  const list = clients.status === 'ready' ? clients.value : [];
  const options = [
    { value: ALL_CLIENTS, label: 'All clients' },
    ...list.map((client) => ({ value: String(client.id), label: client.name })),
  ];

  return (
    <Select
      aria-label="Client"
      data-testid="client-switcher"
      w={240}
      data={options}
      value={
        list.length === 0
          ? null
          : selectedClientId === null
            ? ALL_CLIENTS
            : String(selectedClientId)
      }
      onChange={(value) =>
        selectClient(value === null || value === ALL_CLIENTS ? null : Number(value))
      }
      allowDeselect={false}
      disabled={list.length === 0}
      placeholder={clients.status === 'loading' ? 'Loading clients…' : 'No clients yet'}
    />
  );
}
