// The desktop app's own upkeep, set up once the AppContext is open: the session marker and crash
// notice, the update controller, the file dialogs for backup and restore, and the application
// menu. The handlers reach these through the DesktopHooks attached to the context.
import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { ApiRegistry } from '../../core/api/registry.js';
import type { AppContext } from '../../core/app/context.js';
import { APP_VERSION } from '../../core/app/version.js';
import { attachDesktopHooks, type DesktopHooks } from '../../core/desktop/hooks.js';
import { countUnverifiedWrites, describeUncleanExit, markSessionRunning } from '../../core/desktop/session-marker.js';
import type { Logger } from '../../core/log/logger.js';
import { readWorkActivity } from '../../core/updates/activity.js';
import { createUpdateController, type UpdateController } from '../../core/updates/controller.js';
import { installApplicationMenu } from './menu.js';
import { createElectronUpdaterPort, readUpdateFeed } from './updater.js';

export interface Desktop {
  hooks: DesktopHooks;
  /** Call from before-quit: decides whether a downloaded update installs on this quit. */
  prepareForQuit(): void;
  stop(): void;
}

const BACKUP_FILTERS = [{ name: 'Console backup', extensions: ['sqlite'] }];

/** Sets up the desktop's upkeep for an open context and attaches its hooks. */
export function setUpDesktop(
  context: AppContext,
  registry: ApiRegistry,
  getWindow: () => BrowserWindow | null,
  logger: Logger,
): Desktop {
  const previous = markSessionRunning(context.dataDir, APP_VERSION, context.clock);
  let uncleanExit = null;
  if (previous) {
    uncleanExit = describeUncleanExit(previous, countUnverifiedWrites(context.db));
    logger.warn({ ...previous, unverifiedWrites: uncleanExit.unverifiedWrites }, 'the previous session ended unexpectedly');
  }

  const feed = readUpdateFeed(process.env);
  let updates: UpdateController | null = null;
  if (feed.enabled) {
    const updaterLogger = {
      info: (message: string) => logger.info({ subsystem: 'updater' }, message),
      warn: (message: string) => logger.warn({ subsystem: 'updater' }, message),
      error: (message: string) => logger.error({ subsystem: 'updater' }, message),
    };
    updates = createUpdateController({
      port: createElectronUpdaterPort(updaterLogger),
      currentVersion: APP_VERSION,
      downloadUrl: feed.downloadUrl,
      readActivity: () => readWorkActivity(context.db),
      clock: context.clock,
      logger,
    });
  } else {
    logger.info({ reason: feed.reason }, 'update checks are off');
  }

  const hooks: DesktopHooks = {
    updates,
    updatesDisabledReason: feed.reason,
    downloadUrl: feed.downloadUrl,
    async chooseBackupFile(defaultName) {
      const options = { title: 'Back up data', defaultPath: path.join(app.getPath('documents'), defaultName), filters: BACKUP_FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseRestoreFile() {
      const options = { title: 'Restore data from a backup', properties: ['openFile' as const], filters: BACKUP_FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    relaunch() {
      app.relaunch();
      app.quit();
    },
    uncleanExit,
  };
  attachDesktopHooks(context, hooks);

  installApplicationMenu(getWindow, {
    dataDir: context.dataDir,
    checkForUpdates: () => void runFromMenu(registry, 'updates:check', getWindow, logger),
    backUpData: () => void runFromMenu(registry, 'backup:create', getWindow, logger),
    restoreData: () => void runFromMenu(registry, 'backup:restore', getWindow, logger),
  });

  updates?.start();
  // before-quit fires again when will-quit resumes the quit after the context has closed, and the
  // controller must not read the closed database then.
  let stopped = false;
  return {
    hooks,
    prepareForQuit: () => {
      if (!stopped) updates?.prepareForQuit();
    },
    stop: () => {
      stopped = true;
      updates?.stop();
    },
  };
}

type MenuChannel = 'updates:check' | 'backup:create' | 'backup:restore';

// Runs a menu item through the same handler the renderer calls and reports the outcome in a box.
async function runFromMenu(
  registry: ApiRegistry,
  channel: MenuChannel,
  getWindow: () => BrowserWindow | null,
  logger: Logger,
): Promise<void> {
  const result = await registry.dispatch(channel, {});
  let message: string;
  if (!result.ok) {
    logger.warn({ channel, code: result.error.code, reason: result.error.message }, 'menu action failed');
    message = result.error.message;
  } else {
    message = describeOutcome(channel, result.value);
    if (message === '') return;
  }
  const options = { type: result.ok ? ('info' as const) : ('error' as const), title: app.getName(), message };
  const window = getWindow();
  if (window) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}

function describeOutcome(channel: MenuChannel, value: unknown): string {
  const outcome = value as Record<string, unknown>;
  if (outcome.status === 'cancelled') return '';
  switch (channel) {
    case 'backup:create':
      return `Backup written to ${String(outcome.file)}.`;
    case 'backup:restore':
      return String(outcome.message);
    case 'updates:check': {
      if (outcome.enabled === false) return String(outcome.disabledReason);
      const error = outcome.error as { message: string } | null;
      if (error) {
        const manual = outcome.downloadUrl ? ` Download the latest version from ${String(outcome.downloadUrl)}.` : '';
        return `The update check failed: ${error.message}.${manual}`;
      }
      if (outcome.phase === 'up_to_date') return `Ashby Sync Console ${String(outcome.currentVersion)} is the latest version.`;
      return `Version ${String(outcome.availableVersion)} is downloading; the console shows when it is ready.`;
    }
  }
}
