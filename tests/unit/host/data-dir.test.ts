// Where the browser host and the CLI keep their data when Electron's userData is not available.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../core/app/data-dir.js';

describe('resolveDataDir', () => {
  it('prefers the --data-dir value', () => {
    const env = { ASHBY_SYNC_DATA_DIR: '/srv/from-env', XDG_DATA_HOME: '/srv/xdg' };

    expect(resolveDataDir('/srv/flag', env)).toBe(path.resolve('/srv/flag'));
  });

  it('uses ASHBY_SYNC_DATA_DIR next', () => {
    const env = { ASHBY_SYNC_DATA_DIR: '/srv/from-env', XDG_DATA_HOME: '/srv/xdg' };

    expect(resolveDataDir(undefined, env)).toBe(path.resolve('/srv/from-env'));
  });

  it('falls back to XDG_DATA_HOME', () => {
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/srv/xdg' })).toBe(
      path.resolve('/srv/xdg/ashby-sync-console'),
    );
  });

  it('falls back to ~/.local/share', () => {
    expect(resolveDataDir(undefined, {})).toBe(
      path.join(os.homedir(), '.local', 'share', 'ashby-sync-console'),
    );
  });

  it('resolves a relative path', () => {
    expect(resolveDataDir('demo-data', {})).toBe(path.resolve('demo-data'));
  });
});
