// electron-updater behind the UpdaterPort the update policy (core/updates/controller.ts) drives.
// Updates are on only in a packaged build whose app-update.yml names a real feed: electron-updater
// has nothing to check in development, and ASHBY_SYNC_UPDATES=off turns checks off for a managed
// install that is updated by other means.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { UpdaterEvent, UpdaterPort } from '../../core/updates/controller.js';
import { feedFromAppUpdateYml, type UpdateFeed } from '../../core/updates/feed.js';

const { autoUpdater } = electronUpdater;

/** Reads the feed URL electron-builder wrote into resources/app-update.yml from `publish`. */
export function readUpdateFeed(env: NodeJS.ProcessEnv): UpdateFeed {
  if (!app.isPackaged) return { enabled: false, downloadUrl: null, reason: 'Updates are off in development builds.' };
  if (env.ASHBY_SYNC_UPDATES === 'off') {
    return { enabled: false, downloadUrl: null, reason: 'Updates are off (ASHBY_SYNC_UPDATES=off).' };
  }

  const file = path.join(process.resourcesPath, 'app-update.yml');
  if (!existsSync(file)) {
    return { enabled: false, downloadUrl: null, reason: `Updates are off: ${file} is missing from this build.` };
  }
  return feedFromAppUpdateYml(readFileSync(file, 'utf8'), file);
}

export interface UpdaterLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

/** Wraps electron-updater's autoUpdater. Downloads start only when the policy calls downloadUpdate. */
export function createElectronUpdaterPort(logger: UpdaterLogger): UpdaterPort {
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.logger = logger;

  return {
    async checkForUpdates() {
      await autoUpdater.checkForUpdates();
    },
    async downloadUpdate() {
      await autoUpdater.downloadUpdate();
    },
    quitAndInstall() {
      // Not silent, so the Windows installer shows its progress; start the new version after.
      autoUpdater.quitAndInstall(false, true);
    },
    setInstallOnQuit(enabled) {
      autoUpdater.autoInstallOnAppQuit = enabled;
    },
    onEvent(listener: (event: UpdaterEvent) => void) {
      const onChecking = () => listener({ type: 'checking' });
      const onAvailable = (info: { version: string }) => listener({ type: 'available', version: info.version });
      const onNotAvailable = () => listener({ type: 'not-available' });
      const onProgress = (progress: { percent: number }) => listener({ type: 'progress', percent: progress.percent });
      const onDownloaded = (info: { version: string }) => listener({ type: 'downloaded', version: info.version });
      const onError = (error: Error) => listener({ type: 'error', message: error.message });
      autoUpdater.on('checking-for-update', onChecking);
      autoUpdater.on('update-available', onAvailable);
      autoUpdater.on('update-not-available', onNotAvailable);
      autoUpdater.on('download-progress', onProgress);
      autoUpdater.on('update-downloaded', onDownloaded);
      autoUpdater.on('error', onError);
      return () => {
        autoUpdater.off('checking-for-update', onChecking);
        autoUpdater.off('update-available', onAvailable);
        autoUpdater.off('update-not-available', onNotAvailable);
        autoUpdater.off('download-progress', onProgress);
        autoUpdater.off('update-downloaded', onDownloaded);
        autoUpdater.off('error', onError);
      };
    },
  };
}
