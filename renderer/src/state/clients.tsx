// The client list shared by the header's client switcher and the screens, and which client is
// selected. Push events patch the list in place: `queue:counts` replaces a client's counts and
// `client:status` its status, so a bulk push does not reload the list on every progress step.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { ClientSummary, EventPayload } from '../../../shared/contract/index.js';
import { api, subscribe } from '../api/transport.js';
import type { CallState } from '../api/use-call.js';

export interface ClientsValue {
  clients: CallState<ClientSummary[]>;
  /** Selected client id, or null for "All clients". */
  selectedClientId: number | null;
  selectClient(id: number | null): void;
  /** Fetches the list again, for example after a client was added or removed. */
  reload(): void;
}

const ClientsContext = createContext<ClientsValue | null>(null);

type ClientsState = CallState<ClientSummary[]>;

/** Applies `change` to the client with `clientId`; returns null when the list has no such client. */
function patchClient(
  state: ClientsState,
  clientId: number,
  change: (client: ClientSummary) => ClientSummary,
): ClientsState | null {
  if (state.status !== 'ready') return state;
  if (!state.value.some((client) => client.id === clientId)) return null;
  return {
    status: 'ready',
    value: state.value.map((client) => (client.id === clientId ? change(client) : client)),
  };
}

export function ClientsProvider({ children }: { children: ReactNode }) {
  const [clients, setClients] = useState<ClientsState>({ status: 'loading' });
  const [selectedClientId, selectClient] = useState<number | null>(null);

  const reload = useCallback(() => {
    void api.clients.list().then((result) => {
      setClients(
        result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error },
      );
    });
  }, []);

  useEffect(reload, [reload]);

  // The latest list, for event handlers that must not re-subscribe on every change.
  const clientsRef = useRef(clients);
  useEffect(() => {
    clientsRef.current = clients;
  }, [clients]);

  useEffect(() => {
    // An event for a client the list does not have yet means one was added: fetch the list.
    function apply(clientId: number, change: (client: ClientSummary) => ClientSummary): void {
      const current = clientsRef.current;
      if (current.status === 'ready' && !current.value.some((client) => client.id === clientId)) {
        reload();
        return;
      }
      setClients((state) => patchClient(state, clientId, change) ?? state);
    }

    const stopStatus = subscribe('client:status', (event: EventPayload<'client:status'>) =>
      apply(event.clientId, (client) => ({
        ...client,
        status: event.status,
        statusReason: event.reason,
      })),
    );
    const stopCounts = subscribe('queue:counts', ({ clientId, ...counts }) =>
      apply(clientId, (client) => ({ ...client, counts })),
    );
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
