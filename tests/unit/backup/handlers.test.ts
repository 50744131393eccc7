// The backup, updates and session channels through the API registry, as the browser host serves
// them (no desktop hooks) and as Electron main serves them (hooks with fake dialogs).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../../core/api/handlers/index.js';
import { createApiRegistry, type ApiRegistry } from '../../../core/api/registry.js';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { PENDING_RESTORE_FILE, readLastRestore, readPendingRestore } from '../../../core/backup/backup.js';
import { attachDesktopHooks, type DesktopHooks } from '../../../core/desktop/hooks.js';
import { startBrowserHost } from '../../../core/host/server.js';
import type { Result } from '../../../shared/result.js';

const quietLogger = { debug: () => {}, warn: () => {}, error: () => {} };

async function openContext(dataDir: string): Promise<AppContext> {
  return createAppContext({
    dataDir,
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    transport: 'browser',
    fileLogging: false,
    runEngine: false,
    resumeDemo: false,
  });
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ashby-backup-handlers-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('browser host channels', () => {
  let context: AppContext;
  let registry: ApiRegistry;

  beforeAll(async () => {
    context = await openContext(path.join(root, 'browser'));
    registry = createApiRegistry({ context, handlers }, quietLogger);
  });

  afterAll(async () => {
    await context.close();
  });

  it('reports updates as off', async () => {
    const status = value<{ enabled: boolean; disabledReason: string }>(await registry.dispatch('updates:status', {}));
    expect(status.enabled).toBe(false);
    expect(status.disabledReason).toMatch(/browser host does not update itself/);
  });

  it('writes a backup to a path', async () => {
    const file = path.join(root, 'browser-backup.sqlite');
    const written = value<{ status: string; file: string }>(await registry.dispatch('backup:create', { file }));
    expect(written.status).toBe('written');
    expect(written.file).toBe(file);
    expect(existsSync(file)).toBe(true);
  });

  it('requires a path without dialogs', async () => {
    const result = await registry.dispatch('backup:create', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_input');
  });

  it('stages and cancels a restore', async () => {
    const file = path.join(root, 'browser-restore-source.sqlite');
    value(await registry.dispatch('backup:create', { file }));

    const staged = value<{ status: string; canRelaunch: boolean }>(await registry.dispatch('backup:restore', { file }));
    expect(staged.status).toBe('staged');
    expect(staged.canRelaunch).toBe(false);
    const status = value<{ pendingRestore: { source: string } | null }>(await registry.dispatch('backup:status', {}));
    expect(status.pendingRestore?.source).toBe(file);

    const cancelled = value<{ pendingRestore: unknown }>(await registry.dispatch('backup:cancelRestore', {}));
    expect(cancelled.pendingRestore).toBeNull();
    expect(existsSync(path.join(context.dataDir, PENDING_RESTORE_FILE))).toBe(false);
  });

  it('rejects restoring a non-database', async () => {
    const result = await registry.dispatch('backup:restore', { file: path.join(root, 'browser', 'logs') });
    expect(result.ok).toBe(false);
  });

  it('rejects relaunch', async () => {
    const result = await registry.dispatch('session:relaunch', {});
    expect(result.ok).toBe(false);
  });
});

describe('desktop channels', () => {
  let context: AppContext;
  let registry: ApiRegistry;
  let hooks: DesktopHooks;
  let relaunches = 0;
  const dialogAnswers: (string | null)[] = [];

  beforeAll(async () => {
    context = await openContext(path.join(root, 'desktop'));
    hooks = {
      updates: null,
      updatesDisabledReason: 'Updates are off in development.',
      downloadUrl: null,
      chooseBackupFile: (defaultName) => Promise.resolve(dialogAnswers.shift() ?? path.join(root, defaultName)),
      chooseRestoreFile: () => Promise.resolve(dialogAnswers.shift() ?? null),
      relaunch: () => {
        relaunches += 1;
      },
      uncleanExit: {
        startedAt: '2026-12-04T10:00:00.000Z',
        version: '0.1.0',
        unverifiedWrites: 2,
        message: 'The last session ended unexpectedly.',
      },
    };
    attachDesktopHooks(context, hooks);
    registry = createApiRegistry({ context, handlers }, quietLogger);
  });

  afterAll(async () => {
    await context.close();
  });

  it('uses the save dialog', async () => {
    const target = path.join(root, 'from-dialog.sqlite');
    dialogAnswers.push(target);
    const written = value<{ file: string }>(await registry.dispatch('backup:create', {}));
    expect(written.file).toBe(target);
    expect(existsSync(target)).toBe(true);
  });

  it('returns cancelled from the open dialog', async () => {
    dialogAnswers.push(null);
    const result = value<{ status: string }>(await registry.dispatch('backup:restore', {}));
    expect(result.status).toBe('cancelled');
  });

  it('reports the disabled reason', async () => {
    const status = value<{ disabledReason: string }>(await registry.dispatch('updates:status', {}));
    expect(status.disabledReason).toBe('Updates are off in development.');
  });

  it('shows and dismisses the crash notice', async () => {
    const notices = value<{ uncleanExit: { unverifiedWrites: number } | null }>(await registry.dispatch('session:notices', {}));
    expect(notices.uncleanExit?.unverifiedWrites).toBe(2);
    const dismissed = value<{ uncleanExit: unknown }>(await registry.dispatch('session:dismissNotice', {}));
    expect(dismissed.uncleanExit).toBeNull();
  });

  it('relaunches on request', async () => {
    value(await registry.dispatch('session:relaunch', {}));
    expect(relaunches).toBe(1);
  });
});

describe('browser host start', () => {
  it('applies a staged restore', async () => {
    const dataDir = path.join(root, 'host-restore');
    const first = await openContext(dataDir);
    const registry = createApiRegistry({ context: first, handlers }, quietLogger);
    const file = path.join(root, 'host-restore-source.sqlite');
    value(await registry.dispatch('backup:create', { file }));
    value(await registry.dispatch('backup:restore', { file }));
    await first.close();

    const host = await startBrowserHost({ port: 0, dataDir, env: { ASHBY_SYNC_SECRET_STORE: 'memory' }, fileLogging: false });
    try {
      expect(host.startupError).toBeNull();
      const status = host.context ? backupStatusOf(host.context) : null;
      expect(status?.lastRestore?.source).toBe(file);
      expect(status?.pendingRestore).toBeNull();
      expect(existsSync(status?.lastRestore?.previousKeptAs ?? '')).toBe(true);
    } finally {
      await host.close();
    }
  });
});

function backupStatusOf(context: AppContext) {
  return { lastRestore: readLastRestore(context.dataDir), pendingRestore: readPendingRestore(context.dataDir) };
}
