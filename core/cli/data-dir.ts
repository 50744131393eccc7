// The CLI uses the same data folder as the desktop app and the browser host.
export { desktopDataDir, resolveDataDir as cliDataDir } from '../app/data-dir.js';
