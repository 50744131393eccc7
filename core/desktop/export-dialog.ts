// The desktop's save dialog for audit exports. Electron main attaches it to its AppContext; the
// browser host attaches nothing and offers a download instead. Kept apart from the other desktop
// hooks so core code never depends on Electron.
import type { AppContext } from '../app/context.js';

/** Shows a save dialog; resolves to the chosen path, or null when the admin cancelled. */
export type ChooseExportFile = (defaultName: string, format: 'csv' | 'jsonl') => Promise<string | null>;

const attached = new WeakMap<AppContext, ChooseExportFile>();

export function attachExportDialog(context: AppContext, choose: ChooseExportFile): void {
  attached.set(context, choose);
}

/** The dialog Electron main attached, or null in the browser host and in tests. */
export function exportDialog(context: AppContext): ChooseExportFile | null {
  return attached.get(context) ?? null;
}
