// The preload's bridge, with Electron's contextBridge and ipcRenderer replaced by recorders
// (the Electron binary is not needed). It must expose exactly the contract's functions.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  splitChannel,
  type AshbySyncBridge,
} from '../../../shared/contract/index.js';

const electronStub = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed,
    listeners,
    invoke: vi.fn(async (channel: string, input: unknown) => ({
      ok: true,
      value: { channel, input },
    })),
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electronStub.exposed.set(key, value),
  },
  ipcRenderer: {
    invoke: electronStub.invoke,
    on: (name: string, listener: (...args: unknown[]) => void) => {
      const set = electronStub.listeners.get(name) ?? new Set();
      electronStub.listeners.set(name, set);
      set.add(listener);
    },
    removeListener: (name: string, listener: (...args: unknown[]) => void) => {
      electronStub.listeners.get(name)?.delete(listener);
    },
  },
}));

let bridge: AshbySyncBridge;

beforeAll(async () => {
  await import('../../../electron/preload/index.js');
  bridge = electronStub.exposed.get('ashbySync') as AshbySyncBridge;
});

describe('preload bridge', () => {
  it('exposes only window.ashbySync', () => {
    expect([...electronStub.exposed.keys()]).toEqual(['ashbySync']);
  });

  it('has one function per channel and subscribe', () => {
    const domains = new Set(CHANNEL_NAMES.map((channel) => splitChannel(channel).domain));
    expect(Object.keys(bridge).sort()).toEqual([...domains, 'subscribe'].sort());

    for (const domain of domains) {
      const verbs = CHANNEL_NAMES.filter((channel) => splitChannel(channel).domain === domain).map(
        (channel) => splitChannel(channel).verb,
      );
      const functions =
        (bridge as unknown as Record<string, Record<string, unknown>>)[domain] ?? {};
      expect(Object.keys(functions).sort()).toEqual(verbs.sort());
    }
  });

  it.each(CHANNEL_NAMES)('invokes %s on its own channel', async (channel) => {
    const { domain, verb } = splitChannel(channel);
    const call = (
      bridge as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>
    )[domain]?.[verb];

    const result = await call?.({ probe: 1 });

    expect(electronStub.invoke).toHaveBeenLastCalledWith(channel, { probe: 1 });
    expect(result).toEqual({ ok: true, value: { channel, input: { probe: 1 } } });
  });

  it('sends {} when called without input', async () => {
    await bridge.app.info();

    expect(electronStub.invoke).toHaveBeenLastCalledWith('app:info', {});
  });

  it.each(EVENT_NAMES)('subscribes to %s without the IPC event', (name) => {
    const received: unknown[] = [];
    const unsubscribe = bridge.subscribe(name, (payload) => received.push(payload));
    const [listener] = electronStub.listeners.get(name) ?? [];

    listener?.({ sender: 'ipc event object' }, { clientId: 1 });
    unsubscribe();

    expect(received).toEqual([{ clientId: 1 }]);
    expect(electronStub.listeners.get(name)?.size).toBe(0);
  });

  it('rejects an unknown event name', () => {
    expect(() => bridge.subscribe('internal:anything' as never, () => undefined)).toThrow(
      /Unknown push event/,
    );
  });
});
