// Where the console keeps its data outside Electron (the browser host, the CLI, the sandbox).
// Electron uses `app.getPath('userData')` instead.
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER_NAME = 'ashby-sync-console';

/**
 * Resolves the data folder: an explicit `--data-dir` value first, then `ASHBY_SYNC_DATA_DIR`,
 * then `$XDG_DATA_HOME/ashby-sync-console`, then `~/.local/share/ashby-sync-console`.
 * Returns an absolute path; the folder is not created here.
 */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen =
    explicit ||
    env.ASHBY_SYNC_DATA_DIR ||
    path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), APP_FOLDER_NAME);
  return path.resolve(chosen);
}
