// The client list shared by the header's client switcher and the screens, and which client is
// selected. Reloaded when a push event says a client's status or queue changed.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ClientSummary } from '../../../shared/contract/index.js';
import { api, subscribe } from '../api/transport.js';
import { useCall, type CallState } from '../api/use-call.js';

export interface ClientsValue {
  clients: CallState<ClientSummary[]>;
  /** Selected client id, or null for "All clients". */
  selectedClientId: number | null;
  selectClient(id: number | null): void;
  reload(): void;
}

const ClientsContext = createContext<ClientsValue | null>(null);

const listClients = () => api.clients.list();

export function ClientsProvider({ children }: { children: ReactNode }) {
  const [clients, reload] = useCall(listClients);
  const [selectedClientId, selectClient] = useState<number | null>(null);

  useEffect(() => {
    const stopStatus = subscribe('client:status', reload);
    const stopCounts = subscribe('queue:counts', reload);
    return () => {
      stopStatus();
      stopCounts();
    };
  }, [reload]);

  const value = useMemo(
    () => ({ clients, selectedClientId, selectClient, reload }),
    [clients, selectedClientId, reload],
  );
  return <ClientsContext.Provider value={value}>{children}</ClientsContext.Provider>;
}

export function useClients(): ClientsValue {
  const value = useContext(ClientsContext);
  if (!value) throw new Error('useClients() must be used inside <ClientsProvider>.');
  return value;
}
