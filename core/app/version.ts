// The console's name and version, read from package.json at build time (vite and tsx both
// inline JSON imports), so the browser host and the CLI report the same version as Electron.
import packageJson from '../../package.json' with { type: 'json' };

export const APP_NAME: string = packageJson.productName;
export const APP_VERSION: string = packageJson.version;
