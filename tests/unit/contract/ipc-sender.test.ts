// Electron main's IPC handlers and page checks, with ipcMain replaced by a recorder (the Electron
// binary is not needed). Only the console's own top frame in its own window may call the core.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiRegistry } from '../../../core/api/registry.js';
import { createAppEvents } from '../../../core/app/events.js';
import { resolveAppPages } from '../../../electron/main/app-pages.js';
import { CHANNEL_NAMES } from '../../../shared/contract/index.js';

type IpcHandler = (event: unknown, input: unknown) => Promise<unknown>;

const ipcStub = vi.hoisted(() => ({ handlers: new Map<string, IpcHandler>() }));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: IpcHandler) => ipcStub.handlers.set(channel, handler),
  },
}));

const MAIN_DIR = path.join(path.sep, 'opt', 'console', 'out', 'main');
const pages = resolveAppPages(MAIN_DIR, undefined);
const STARTUP_ERROR = { code: 'store_too_new' as const, message: 'newer database' };
const silentLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };

const mainFrame = { url: pages.entryUrl };
const childFrame = { url: pages.entryUrl };
const webContents = { mainFrame, send: vi.fn() };
const window = { webContents, isDestroyed: () => false };

beforeAll(async () => {
  const { registerIpcHandlers } = await import('../../../electron/main/ipc.js');
  const registry = createApiRegistry({ startupError: STARTUP_ERROR }, silentLogger);
  registerIpcHandlers(registry, pages, () => window as never, silentLogger);
});

function handlerFor(channel: string): IpcHandler {
  const handler = ipcStub.handlers.get(channel);
  if (!handler) throw new Error(`no handler registered for ${channel}`);
  return handler;
}

describe('IPC handlers', () => {
  it('registers every contract channel', () => {
    expect([...ipcStub.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('dispatches calls from the app top frame', async () => {
    const result = await handlerFor('app:info')(
      { sender: webContents, senderFrame: mainFrame },
      {},
    );

    expect(result).toEqual({ ok: false, error: STARTUP_ERROR });
  });

  it.each([
    ['a destroyed frame', { sender: webContents, senderFrame: null }],
    ['a child frame', { sender: webContents, senderFrame: childFrame }],
    ['another web contents', { sender: { mainFrame }, senderFrame: mainFrame }],
  ])('rejects calls from %s', async (_label, event) => {
    const result = await handlerFor('app:info')(event, {});

    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('rejects the top frame on another page', async () => {
    const appUrl = mainFrame.url;
    mainFrame.url = 'https://example.com/';
    try {
      const result = await handlerFor('app:info')(
        { sender: webContents, senderFrame: mainFrame },
        {},
      );

      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      mainFrame.url = appUrl;
    }
  });

  it('forwards push events to the window', async () => {
    const { forwardEvents } = await import('../../../electron/main/ipc.js');
    const events = createAppEvents(silentLogger);
    forwardEvents(events, () => window as never);

    events.emit('queue:counts', {
      clientId: 2,
      pending: 1,
      review: 0,
      failed: 0,
      needsAttention: 0,
    });

    expect(webContents.send).toHaveBeenCalledWith('queue:counts', {
      clientId: 2,
      pending: 1,
      review: 0,
      failed: 0,
      needsAttention: 0,
    });
  });
});

describe('app pages', () => {
  const entry = pathToFileURL(path.join(MAIN_DIR, '..', 'renderer', 'index.html')).href;

  it('loads the built renderer from disk', () => {
    expect(pages.entryUrl).toBe(entry);
  });

  it.each([
    [entry, true],
    [`${entry}?screen=audit#top`, true],
    [pathToFileURL(path.join(MAIN_DIR, 'index.html')).href, false],
    ['file:///etc/passwd', false],
    ['https://example.com/', false],
    ['not a url', false],
  ])('classifies %s as app page: %s', (url, expected) => {
    expect(pages.isAppUrl(url)).toBe(expected);
  });

  it('accepts only the dev server origin in dev mode', () => {
    const dev = resolveAppPages(MAIN_DIR, 'http://localhost:5173/');

    expect(dev.isAppUrl('http://localhost:5173/index.html')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl(entry)).toBe(false);
  });
});
