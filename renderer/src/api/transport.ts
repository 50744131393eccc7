// The renderer's one way to reach the core. Inside Electron the preload provides
// `window.ashbySync`; in a plain browser the page was served by the browser host and talks to it
// over a WebSocket. The rest of the renderer imports `api` and `subscribe` from here and never
// knows which one it got.
import type {
  AshbySyncBridge,
  ContractApi,
  EventName,
  EventPayload,
  Transport,
} from '../../../shared/contract/index.js';
import { createWebSocketBridge } from './websocket-bridge.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    ashbySync?: AshbySyncBridge;
  }
}

function chooseBridge(): { bridge: AshbySyncBridge; kind: Transport } {
  if (window.ashbySync) return { bridge: window.ashbySync, kind: 'electron' };
  return { bridge: createWebSocketBridge(window.location), kind: 'browser' };
}

const chosen = chooseBridge();

/** Typed contract calls: `await api.clients.list()` returns a Result. */
export const api: ContractApi = chosen.bridge;

export const transportKind: Transport = chosen.kind;

/** Calls `listener` for every push event `name`; returns a function that unsubscribes. */
export function subscribe<E extends EventName>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return chosen.bridge.subscribe(name, listener);
}
