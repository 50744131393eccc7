// Attaches the open dialog the import screen's "Choose file" uses in the desktop app.
import { app, dialog, type BrowserWindow } from 'electron';
import type { AppContext } from '../../core/app/context.js';
import { attachImportDialog } from '../../core/desktop/import-dialog.js';

export function attachElectronImportDialog(context: AppContext, getWindow: () => BrowserWindow | null): void {
  attachImportDialog(context, async () => {
    const options = {
      title: 'Choose a pipeline export',
      defaultPath: app.getPath('downloads'),
      properties: ['openFile' as const],
      filters: [{ name: 'Pipeline exports (JSON, CSV)', extensions: ['json', 'csv'] }],
    };
    const window = getWindow();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
}
