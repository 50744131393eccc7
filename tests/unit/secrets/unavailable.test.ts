// keytar in a child process whose D-Bus session address points at no socket: the store must fail
// with a message naming the cause and the fix, and must not write the key anywhere.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_SECRET_SERVICE_FIX, toUnavailableError } from '../../../core/secrets/secret-store.js';
import { findKeyBytes, listFiles } from './scan.js';

const childScript = fileURLToPath(new URL('./fixtures/store-key-in-child.ts', import.meta.url));
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ashby-nokeychain-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('secret store without a Secret Service', () => {
  it('fails with the cause and the fix', () => {
    const key = `ashby-test-key-${randomBytes(16).toString('hex')}`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', childScript, dataDir, key], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dataDir, 'no-such-bus-socket')}`,
        ASHBY_SYNC_SECRET_STORE: '',
        DISPLAY: '',
      },
    });

    expect(child.status, child.stderr).toBe(0);
    const outcome = JSON.parse(child.stdout) as { ok: boolean; code?: string; reason?: string; message?: string };
    expect(outcome.ok).toBe(false);
    expect(outcome.code).toBe('secret_store_unavailable');
    expect(outcome.reason).toBe('no_secret_service');
    expect(outcome.message).toContain(NO_SECRET_SERVICE_FIX);
    expect(outcome.message).toContain('Could not connect');

    const files = listFiles(dataDir).map((file) => path.relative(dataDir, file));
    for (const file of files) expect(file).toMatch(/^(console\.sqlite(-wal|-shm)?|logs[/\\]console\.log(\.\d+)?)$/);
    expect(findKeyBytes(listFiles(dataDir), key)).toEqual([]);
  });
});

describe('keytar error mapping', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no_secret_service'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'no_secret_service'],
    ['Could not connect: No such file or directory', 'no_secret_service'],
    ['Cannot create an item in a locked collection', 'keyring_locked'],
    ['Something else went wrong', 'keychain_error'],
  ])('maps "%s" to %s', (message, reason) => {
    const error = toUnavailableError(new Error(message));

    expect(error.code).toBe('secret_store_unavailable');
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(message);
  });

  it('names the fix for a missing Secret Service', () => {
    expect(toUnavailableError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')).message).toContain(
      'no Secret Service running: install and unlock gnome-keyring or KWallet',
    );
  });
});
