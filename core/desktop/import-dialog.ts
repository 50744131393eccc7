// The desktop's open dialog for pipeline exports. Electron main attaches it to its AppContext; the
// browser host attaches nothing, so the import screen offers only its path field there.
import type { AppContext } from '../app/context.js';

/** Shows an open dialog; resolves to the chosen path, or null when the admin cancelled. */
export type ChooseImportFile = () => Promise<string | null>;

const attached = new WeakMap<AppContext, ChooseImportFile>();

export function attachImportDialog(context: AppContext, choose: ChooseImportFile): void {
  attached.set(context, choose);
}

/** Returns the dialog Electron main attached, or null in the browser host and in tests. */
export function importDialog(context: AppContext): ChooseImportFile | null {
  return attached.get(context) ?? null;
}
