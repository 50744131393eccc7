// The data folder the CLI uses by default: the desktop app's, so both see the same clients and queue.
import os from 'node:os';
import path from 'node:path';
import { APP_NAME } from '../app/version.js';

/**
 * Returns Electron's `app.getPath('userData')` for this app without loading Electron: the
 * per-user application data folder (`appData` in Electron's `app.getPath` documentation) joined
 * with the product name.
 */
export function desktopDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  let appData: string;
  if (platform === 'darwin') appData = path.join(home, 'Library', 'Application Support');
  else if (platform === 'win32') appData = env.APPDATA || path.join(home, 'AppData', 'Roaming');
  else appData = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return path.join(appData, APP_NAME);
}

/** Resolves the CLI's data folder: `--data-dir`, then ASHBY_SYNC_DATA_DIR, then the desktop app's folder. */
export function cliDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return path.resolve(explicit || env.ASHBY_SYNC_DATA_DIR || desktopDataDir(env));
}
