// The CLI uses the same data folder as the desktop app and the browser host.
import { desktopDataDir } from '../app/data-dir.js';
import { resolveUserPath } from './paths.js';

export { desktopDataDir };

/**
 * Resolves the data folder: `--data-dir` first, then `ASHBY_SYNC_DATA_DIR`, then the desktop app's
 * folder. A relative value is taken from the folder the user ran the command from.
 */
export function cliDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolveUserPath(explicit || env.ASHBY_SYNC_DATA_DIR || desktopDataDir(env), env);
}
