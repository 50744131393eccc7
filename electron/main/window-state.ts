// Remembers the main window's size, position and maximised state in the data folder. The saved
// bounds are checked against the displays connected now (core/desktop/window-state.ts).
import { screen, type BrowserWindow } from 'electron';
import { fitToDisplays, readWindowState, writeWindowState } from '../../core/desktop/window-state.js';

export interface WindowStateLogger {
  warn(object: object, message: string): void;
}

/** Moves a new, still hidden window to its saved place and saves it again when it closes. */
export function rememberWindowState(window: BrowserWindow, dataDir: string, logger: WindowStateLogger): void {
  const saved = readWindowState(dataDir);
  if (saved) {
    const [minWidth = 0, minHeight = 0] = window.getMinimumSize();
    const workAreas = screen.getAllDisplays().map((display) => display.workArea);
    const bounds = fitToDisplays(saved.bounds, workAreas, { width: minWidth, height: minHeight });
    if (bounds) window.setBounds(bounds);
    if (saved.maximized) window.maximize();
  }

  window.on('close', () => {
    try {
      // The normal bounds, so a maximised window comes back maximised over the same place.
      writeWindowState(dataDir, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      logger.warn({ err: error, dataDir }, 'could not save the window size and position');
    }
  });
}
