// Connects the API registry to Electron IPC: one `ipcMain.handle` per contract channel, and push
// events forwarded to the window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { err } from '../../shared/result.js';
import type { ApiRegistry } from '../../core/api/registry.js';
import type { AppEvents } from '../../core/app/events.js';
import type { AppPages } from './app-pages.js';

export interface IpcLogger {
  warn(object: object, message: string): void;
}

/**
 * Registers a handler for every channel in the registry. A call is only dispatched when it
 * comes from the top frame of the console's own page in the console's own window; anything else
 * (an iframe, a page that navigated elsewhere) gets an error and is logged.
 */
export function registerIpcHandlers(
  registry: ApiRegistry,
  pages: AppPages,
  getWindow: () => BrowserWindow | null,
  logger: IpcLogger,
): void {
  function isTrustedSender(event: IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    const window = getWindow();
    if (!frame || !window || event.sender !== window.webContents) return false;
    return frame === event.sender.mainFrame && pages.isAppUrl(frame.url);
  }

  for (const channel of registry.channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        logger.warn(
          { channel, frameUrl: event.senderFrame?.url.split('?')[0] ?? null },
          'rejected IPC call from an untrusted frame',
        );
        return err('forbidden', 'This page is not allowed to call the console.');
      }
      return registry.dispatch(channel, input);
    });
  }
}

/** Sends every push event to the window; returns a function that stops forwarding. */
export function forwardEvents(
  events: AppEvents,
  getWindow: () => BrowserWindow | null,
): () => void {
  return events.onAny((name, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(name, payload);
  });
}
