// Desktop-only abilities the `updates:*`, `backup:*` and `session:*` handlers use: the update
// controller, file dialogs and restarting the app. Electron main attaches them to its
// AppContext; the browser host attaches nothing, and the handlers fall back to taking paths and
// reporting updates as off. Kept outside AppContext so core code never depends on Electron.
import type { UncleanExit } from '../../shared/contract/app-updates.js';
import type { AppContext } from '../app/context.js';
import type { UpdateController } from '../updates/controller.js';

export interface DesktopHooks {
  /** Null when updates are off, and `updatesDisabledReason` then gives the cause. */
  updates: UpdateController | null;
  updatesDisabledReason: string;
  /** Page with the installers, for a manual download. */
  downloadUrl: string | null;
  /** Shows a save dialog; resolves to the chosen path or null when cancelled. */
  chooseBackupFile(defaultName: string): Promise<string | null>;
  /** Shows an open dialog; resolves to the chosen path or null when cancelled. */
  chooseRestoreFile(): Promise<string | null>;
  /** Quits and starts the app again (after the engine stops, like any quit). */
  relaunch(): void;
  /** Set when the previous session did not quit cleanly, until the user dismisses it. */
  uncleanExit: UncleanExit | null;
}

const attached = new WeakMap<AppContext, DesktopHooks>();

export function attachDesktopHooks(context: AppContext, hooks: DesktopHooks): void {
  attached.set(context, hooks);
}

/** Returns the hooks Electron main attached, or null in the browser host and in tests. */
export function desktopHooks(context: AppContext): DesktopHooks | null {
  return attached.get(context) ?? null;
}
