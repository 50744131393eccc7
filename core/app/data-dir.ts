// Where the console keeps its data. The desktop app, the browser host and the CLI share one
// folder by default, so all three see the same clients, queue and audit log.
import os from 'node:os';
import path from 'node:path';
import { APP_NAME } from './version.js';

/**
 * Returns Electron's `app.getPath('userData')` for this app without loading Electron: the
 * per-user application data folder (`appData` in Electron's `app.getPath` documentation) joined
 * with the product name.
 */
export function desktopDataDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = os.homedir();
  let appData: string;
  if (platform === 'darwin') appData = path.join(home, 'Library', 'Application Support');
  else if (platform === 'win32') appData = env.APPDATA || path.join(home, 'AppData', 'Roaming');
  else appData = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return path.join(appData, APP_NAME);
}

/**
 * Resolves the data folder: an explicit `--data-dir` value first, then `ASHBY_SYNC_DATA_DIR`,
 * then the desktop app's folder. Returns an absolute path; the folder is not created here.
 */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return path.resolve(explicit || env.ASHBY_SYNC_DATA_DIR || desktopDataDir(env));
}
