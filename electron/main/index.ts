// Electron main process. It stays thin: it opens the same AppContext and API registry the browser
// host uses, connects them to IPC, and manages the one window.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow } from 'electron';
import { createApiRegistry, type RegistryTarget } from '../../core/api/registry.js';
import { handlers } from '../../core/api/handlers/index.js';
import { createAppContext, DATABASE_FILE_NAME, toStartupError, type AppContext } from '../../core/app/context.js';
import { applyPendingRestoreAtStart } from '../../core/backup/backup.js';
import { createLogger } from '../../core/log/logger.js';
import { resolveAppPages } from './app-pages.js';
import { setUpDesktop, type Desktop } from './desktop.js';
import { attachElectronExportDialog } from './export-dialog.js';
import { attachElectronImportDialog } from './import-dialog.js';
import { forwardEvents, registerIpcHandlers } from './ipc.js';
import { closeForQuit } from './quit.js';
import { createMainWindow, installContentSecurityPolicy } from './window.js';
import { rememberWindowState } from './window-state.js';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
const logger = createLogger('app');

/** `--data-dir=PATH` or ASHBY_SYNC_DATA_DIR override Electron's userData folder (tests, demos). */
function chooseDataDir(): string {
  const flag = process.argv.find((argument) => argument.startsWith('--data-dir='));
  return path.resolve(
    flag?.slice('--data-dir='.length) || process.env.ASHBY_SYNC_DATA_DIR || app.getPath('userData'),
  );
}

let mainWindow: BrowserWindow | null = null;
let context: AppContext | null = null;
let desktop: Desktop | null = null;

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  const pages = resolveAppPages(mainDir, process.env.ELECTRON_RENDERER_URL);
  installContentSecurityPolicy();

  const dataDir = chooseDataDir();
  // A restore chosen in the last session replaces the database before anything opens it.
  applyPendingRestoreAtStart(path.join(dataDir, DATABASE_FILE_NAME), logger);

  let target: RegistryTarget;
  try {
    context = await createAppContext({
      dataDir,
      env: process.env,
      transport: 'electron',
    });
    target = { context, handlers };
  } catch (error) {
    // The window still opens: every call returns this error and the renderer shows it.
    const startupError = toStartupError(error);
    logger.error(
      { code: startupError.code, reason: startupError.message },
      'could not open the data folder',
    );
    target = { startupError };
  }

  const registry = createApiRegistry(target, createLogger('ipc'));
  registerIpcHandlers(registry, pages, () => mainWindow, logger);
  if (context) forwardEvents(context.events, () => mainWindow);
  if (context) desktop = setUpDesktop(context, registry, () => mainWindow, logger);
  if (context) attachElectronExportDialog(context, () => mainWindow);
  if (context) attachElectronImportDialog(context, () => mainWindow);

  mainWindow = createMainWindow(mainDir, pages, logger);
  rememberWindowState(mainWindow, dataDir, logger);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

// Sandboxes every renderer, including any created without explicit webPreferences.
app.enableSandbox();

// A second launch focuses the running console instead of opening the database twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => desktop?.prepareForQuit());
  app.on('will-quit', (event) => {
    if (!context) return;
    const closing = context;
    context = null;
    event.preventDefault();
    desktop?.stop();
    void closeForQuit(closing, logger).finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      logger.fatal({ err: error }, 'the console failed to start');
      app.exit(1);
    });
}
