// The browser host's side of the transport: the same AshbySyncBridge as Electron's preload, built
// over one WebSocket to the host that served this page.
import {
  buildContractApi,
  isEventName,
  type AshbySyncBridge,
  type Channel,
  type EventName,
  type EventPayload,
} from '../../../shared/contract/index.js';
import { ServerFrame, TOKEN_PARAMETER, WEBSOCKET_PATH } from '../../../shared/contract/wire.js';
import { err, type Result } from '../../../shared/result.js';

type Pending = (result: Result<unknown>) => void;

/**
 * Creates the bridge. The socket opens on the first call and reopens on the next call after it
 * closed; calls in flight when it closes resolve with `host_unreachable`.
 */
export function createWebSocketBridge(location: Location): AshbySyncBridge {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAMETER);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = token ? `?${TOKEN_PARAMETER}=${encodeURIComponent(token)}` : '';
  const socketUrl = `${scheme}://${location.host}${WEBSOCKET_PATH}${query}`;

  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  function connect(): Promise<WebSocket> {
    if (opened && socket && socket.readyState <= WebSocket.OPEN) return opened;
    const current = new WebSocket(socketUrl);
    socket = current;
    opened = new Promise((resolve, reject) => {
      current.addEventListener('open', () => resolve(current), { once: true });
      current.addEventListener('error', () => reject(new Error('connection failed')), {
        once: true,
      });
    });
    current.addEventListener('message', (message) => receive(message.data));
    current.addEventListener('close', () => {
      if (socket === current) {
        socket = null;
        opened = null;
      }
      for (const [id, settle] of pending) {
        pending.delete(id);
        settle(unreachable());
      }
    });
    return opened;
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const parsed = ServerFrame.safeParse(JSON.parse(data));
    if (!parsed.success) return;
    const frame = parsed.data;
    if (frame.type === 'result') {
      if (frame.id === null) return;
      const settle = pending.get(frame.id);
      pending.delete(frame.id);
      settle?.(frame.result as Result<unknown>);
      return;
    }
    if (!isEventName(frame.name)) return;
    for (const listener of listeners.get(frame.name) ?? []) listener(frame.payload);
  }

  async function invoke(channel: Channel, input: unknown): Promise<Result<unknown>> {
    let open: WebSocket;
    try {
      open = await connect();
    } catch {
      return unreachable();
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      open.send(JSON.stringify({ type: 'request', id, channel, input }));
    });
  }

  function subscribe<E extends EventName>(
    name: E,
    listener: (payload: EventPayload<E>) => void,
  ): () => void {
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    // Events only arrive on an open socket, so subscribing opens it.
    void connect().catch(() => undefined);
    return () => {
      set.delete(wrapped);
    };
  }

  return { ...buildContractApi(invoke), subscribe };
}

function unreachable(): Result<never> {
  return err(
    'host_unreachable',
    'Lost the connection to the console host. Check that `npm start` (or `npm run host`) is still running, then reload the page.',
  );
}
