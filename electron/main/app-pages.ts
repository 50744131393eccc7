// Which URLs count as the app's own pages. IPC handlers and navigation guards use it, so a page
// that is not the console (an iframe, a navigated-away window) can never call the core.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppPages {
  /** URL loaded into the window. */
  readonly entryUrl: string;
  /** True when `url` is the console's own page (query and hash ignored). */
  isAppUrl(url: string): boolean;
}

/**
 * In a build the page is `out/renderer/index.html` loaded from disk; under `electron-vite dev`
 * it is the dev server's URL from ELECTRON_RENDERER_URL.
 */
export function resolveAppPages(mainDir: string, devServerUrl: string | undefined): AppPages {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return {
      entryUrl: devServerUrl,
      isAppUrl: (url) => safeUrl(url)?.origin === origin,
    };
  }
  const entry = pathToFileURL(path.join(mainDir, '../renderer/index.html'));
  return {
    entryUrl: entry.href,
    isAppUrl: (url) => {
      const parsed = safeUrl(url);
      return parsed?.protocol === 'file:' && parsed.pathname === entry.pathname;
    },
  };
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
