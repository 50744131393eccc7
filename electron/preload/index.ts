// The preload exposes `window.ashbySync`: one function per contract channel, built from the
// contract map and grouped by domain (`ashbySync.clients.list()`), plus `subscribe` for push events. The page never gets `ipcRenderer`, so it can
// only make the calls the contract declares.
import { contextBridge, ipcRenderer } from 'electron';
import {
  buildContractApi,
  isEventName,
  type AshbySyncBridge,
  type Channel,
  type EventName,
  type EventPayload,
} from '../../shared/contract/index.js';
import type { Result } from '../../shared/result.js';

const api = buildContractApi(
  (channel: Channel, input: unknown) =>
    ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
);

function subscribe<E extends EventName>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  if (!isEventName(name)) throw new Error(`Unknown push event "${String(name)}".`);
  // The IPC event object is not passed on: it would give the page access to `sender`.
  const wrapped = (_event: Electron.IpcRendererEvent, payload: EventPayload<E>) =>
    listener(payload);
  ipcRenderer.on(name, wrapped);
  return () => {
    ipcRenderer.removeListener(name, wrapped);
  };
}

const bridge: AshbySyncBridge = { ...api, subscribe };
contextBridge.exposeInMainWorld('ashbySync', bridge);
