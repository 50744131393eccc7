// The console's single window and its security settings.
// Checklist followed: https://www.electronjs.org/docs/latest/tutorial/security
import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp.js';
import type { AppPages } from './app-pages.js';

export interface WindowLogger {
  warn(object: object, message: string): void;
}

/** Creates the window with the renderer sandboxed and isolated, and loads the app's page. */
export function createMainWindow(
  mainDir: string,
  pages: AppPages,
  logger: WindowLogger,
): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Ashby Sync Console',
    webPreferences: {
      // A sandboxed preload can only `require` a few Electron modules, so it is one CommonJS bundle.
      preload: path.join(mainDir, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => window.show());

  // The console is one page: any navigation (a dropped file, a link without a handler) is blocked.
  window.webContents.on('will-navigate', (event, url) => {
    if (pages.isAppUrl(url) && url === window.webContents.getURL()) return;
    event.preventDefault();
    logger.warn({ url: redactQuery(url) }, 'blocked navigation');
    openExternalIfHttps(url, logger);
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  // New windows are never created; https links (Ashby docs, a job in Ashby) open in the browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    openExternalIfHttps(url, logger);
    return { action: 'deny' };
  });

  void window.loadURL(pages.entryUrl);
  return window;
}

/**
 * Sends the Content-Security-Policy header with every response the window receives; the window
 * only ever loads the console's own page, because navigation is blocked. A page loaded from a
 * file gets no headers, so renderer/index.html carries the same policy in a meta tag.
 */
export function installContentSecurityPolicy(): void {
  const policy = contentSecurityPolicy({ connectSrc: ["'self'"] });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
  // The console needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function openExternalIfHttps(url: string, logger: WindowLogger): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'https:') {
    logger.warn({ url: redactQuery(url) }, 'blocked a link that is not https');
    return;
  }
  void shell.openExternal(parsed.href);
}

function redactQuery(url: string): string {
  return url.split('?')[0] ?? url;
}
