// Attaches the save dialog the Activity screen's export uses in the desktop app.
import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { AppContext } from '../../core/app/context.js';
import { attachExportDialog } from '../../core/desktop/export-dialog.js';

const FILTERS: Record<'csv' | 'jsonl', { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (spreadsheets)', extensions: ['csv'] },
  jsonl: { name: 'JSON Lines', extensions: ['jsonl'] },
};

export function attachElectronExportDialog(context: AppContext, getWindow: () => BrowserWindow | null): void {
  attachExportDialog(context, async (defaultName, format) => {
    const options = {
      title: 'Export activity',
      defaultPath: path.join(app.getPath('documents'), defaultName),
      filters: [FILTERS[format]],
    };
    const window = getWindow();
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  });
}
