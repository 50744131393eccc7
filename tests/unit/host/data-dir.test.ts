// Where the browser host and the CLI keep their data: by default the desktop app's folder.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopDataDir, resolveDataDir } from '../../../core/app/data-dir.js';

describe('resolveDataDir', () => {
  it('prefers the --data-dir value', () => {
    const env = { ASHBY_SYNC_DATA_DIR: '/srv/from-env', XDG_CONFIG_HOME: '/srv/xdg' };

    expect(resolveDataDir('/srv/flag', env)).toBe(path.resolve('/srv/flag'));
  });

  it('uses ASHBY_SYNC_DATA_DIR next', () => {
    const env = { ASHBY_SYNC_DATA_DIR: '/srv/from-env', XDG_CONFIG_HOME: '/srv/xdg' };

    expect(resolveDataDir(undefined, env)).toBe(path.resolve('/srv/from-env'));
  });

  it('falls back to the desktop app folder under XDG_CONFIG_HOME', () => {
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/srv/xdg' })).toBe(
      path.resolve('/srv/xdg/Ashby Sync Console'),
    );
  });

  it('falls back to ~/.config on Linux', () => {
    expect(desktopDataDir({}, 'linux')).toBe(
      path.join(os.homedir(), '.config', 'Ashby Sync Console'),
    );
  });

  it('uses Application Support on macOS', () => {
    expect(desktopDataDir({}, 'darwin')).toBe(
      path.join(os.homedir(), 'Library', 'Application Support', 'Ashby Sync Console'),
    );
  });

  it('resolves a relative path', () => {
    expect(resolveDataDir('demo-data', {})).toBe(path.resolve('demo-data'));
  });
});
