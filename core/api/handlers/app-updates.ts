// Handlers for the `updates:*`, `backup:*` and `session:*` channels. Desktop-only abilities (the
// update controller, file dialogs, relaunching) come from the hooks Electron main attaches. Without
// them, in the browser host and in tests, updates report that they are off and backup and restore
// need a path.
import type { BackupStatus, SessionNotices } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { AppContext } from '../../app/context.js';
import { APP_VERSION } from '../../app/version.js';
import {
  cancelPendingRestore,
  clearLastRestore,
  createBackup,
  defaultBackupName,
  readLastRestore,
  readPendingRestore,
  stageRestore,
} from '../../backup/backup.js';
import { desktopHooks } from '../../desktop/hooks.js';
import { disabledUpdateStatus } from '../../updates/controller.js';
import type { Handler } from '../registry.js';

export const BROWSER_UPDATES_OFF =
  'The browser host does not update itself. Update the desktop app, or install the new version where the host runs.';

function updateStatus(context: AppContext) {
  const hooks = desktopHooks(context);
  if (hooks?.updates) return hooks.updates.status();
  return disabledUpdateStatus(APP_VERSION, hooks?.updatesDisabledReason ?? BROWSER_UPDATES_OFF, hooks?.downloadUrl ?? null);
}

function backupStatus(context: AppContext): BackupStatus {
  return {
    pendingRestore: readPendingRestore(context.dataDir),
    lastRestore: readLastRestore(context.dataDir),
    usesDialogs: desktopHooks(context) !== null,
  };
}

function sessionNotices(context: AppContext): SessionNotices {
  return { uncleanExit: desktopHooks(context)?.uncleanExit ?? null };
}

/** Returns the path from the input or from the desktop's file dialog, or null when the user cancelled. */
async function choosePath(
  context: AppContext,
  file: string | undefined,
  ask: (hooks: NonNullable<ReturnType<typeof desktopHooks>>) => Promise<string | null>,
): Promise<string | null> {
  if (file !== undefined) return file;
  const hooks = desktopHooks(context);
  if (!hooks) {
    throw new AppError('invalid_input', 'Give the backup file path: the browser host cannot show a file dialog.');
  }
  return ask(hooks);
}

export const appUpdatesHandlers = {
  'updates:status': (_input, context) => updateStatus(context),

  'updates:check': async (_input, context) => {
    await desktopHooks(context)?.updates?.check();
    return updateStatus(context);
  },

  'updates:restart': (_input, context) => {
    const updates = desktopHooks(context)?.updates;
    if (!updates) return { restarting: false, message: updateStatus(context).disabledReason ?? 'Updates are off.' };
    return updates.restartToUpdate();
  },

  'backup:create': async (input, context) => {
    const file = await choosePath(context, input.file, (hooks) => hooks.chooseBackupFile(defaultBackupName(context.clock)));
    if (file === null) return { status: 'cancelled' as const };
    const result = createBackup(context.db, file);
    context.logger.info({ file: result.file, bytes: result.bytes, schemaVersion: result.schemaVersion }, 'wrote a database backup');
    return { status: 'written' as const, ...result };
  },

  'backup:restore': async (input, context) => {
    const file = await choosePath(context, input.file, (hooks) => hooks.chooseRestoreFile());
    if (file === null) return { status: 'cancelled' as const };
    const pending = stageRestore(context.dataDir, file, context.clock);
    context.logger.info({ source: pending.source, schemaVersion: pending.schemaVersion }, 'staged a database restore');
    const canRelaunch = desktopHooks(context) !== null;
    return {
      status: 'staged' as const,
      ...pending,
      canRelaunch,
      message:
        `The backup is checked and replaces the current data at the next start; the current database is kept beside it. ` +
        (canRelaunch ? 'Restart the console to restore now.' : 'Restart the browser host to restore now.'),
    };
  },

  'backup:cancelRestore': (_input, context) => {
    cancelPendingRestore(context.dataDir);
    context.logger.info({}, 'cancelled the staged database restore');
    return backupStatus(context);
  },

  'backup:status': (_input, context) => backupStatus(context),

  'session:notices': (_input, context) => sessionNotices(context),

  'session:dismissNotice': (_input, context) => {
    const hooks = desktopHooks(context);
    if (hooks) hooks.uncleanExit = null;
    clearLastRestore(context.dataDir);
    return sessionNotices(context);
  },

  'session:relaunch': (_input, context) => {
    const hooks = desktopHooks(context);
    if (!hooks) {
      throw new AppError('invalid_input', 'The browser host cannot restart itself. Stop it and start it again.');
    }
    hooks.relaunch();
    return { restarting: true, message: 'Restarting the console.' };
  },
} satisfies {
  [C in
    | 'updates:status'
    | 'updates:check'
    | 'updates:restart'
    | 'backup:create'
    | 'backup:restore'
    | 'backup:cancelRestore'
    | 'backup:status'
    | 'session:notices'
    | 'session:dismissNotice'
    | 'session:relaunch']: Handler<C>;
};
