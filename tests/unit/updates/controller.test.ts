// The update policy against a fake updater port and a hand-fired schedule: what the banner shows
// for each updater event, and that an install never starts while a bulk push or link resolution runs.
import { describe, expect, it } from 'vitest';
import type { WorkActivity } from '../../../core/updates/activity.js';
import {
  createUpdateController,
  DEFAULT_CHECK_INTERVAL_MS,
  type ScheduleRepeating,
  type UpdaterEvent,
  type UpdaterPort,
} from '../../../core/updates/controller.js';

class FakeUpdater implements UpdaterPort {
  checks = 0;
  downloads = 0;
  installs = 0;
  installOnQuit: boolean | null = null;
  checkFailure: Error | null = null;
  private listeners = new Set<(event: UpdaterEvent) => void>();

  checkForUpdates(): Promise<void> {
    this.checks += 1;
    return this.checkFailure ? Promise.reject(this.checkFailure) : Promise.resolve();
  }
  downloadUpdate(): Promise<void> {
    this.downloads += 1;
    return Promise.resolve();
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
  setInstallOnQuit(enabled: boolean): void {
    this.installOnQuit = enabled;
  }
  onEvent(listener: (event: UpdaterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: UpdaterEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

interface Timer {
  intervalMs: number;
  run: () => void;
  cancelled: boolean;
}

function setup(activity: WorkActivity = { bulkPushes: 0, linkResolutions: 0 }) {
  const port = new FakeUpdater();
  const timers: Timer[] = [];
  const schedule: ScheduleRepeating = (intervalMs, run) => {
    const timer = { intervalMs, run, cancelled: false };
    timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  const state = { activity };
  const controller = createUpdateController({
    port,
    currentVersion: '1.0.0',
    downloadUrl: 'https://updates.example.test/console/',
    readActivity: () => state.activity,
    clock: { now: () => Date.parse('2026-12-04T12:00:00.000Z') },
    schedule,
  });
  const fire = (intervalMs: number) => {
    for (const timer of timers.filter((entry) => entry.intervalMs === intervalMs && !entry.cancelled)) timer.run();
  };
  return { port, controller, timers, state, fire };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('update controller', () => {
  it('checks at start and every 6 hours', async () => {
    const { port, controller, fire } = setup();
    controller.start();
    await flush();
    expect(port.checks).toBe(1);
    fire(DEFAULT_CHECK_INTERVAL_MS);
    fire(DEFAULT_CHECK_INTERVAL_MS);
    await flush();
    expect(port.checks).toBe(3);
    controller.stop();
    fire(DEFAULT_CHECK_INTERVAL_MS);
    expect(port.checks).toBe(3);
  });

  it('reports no update available', () => {
    const { port, controller } = setup();
    port.emit({ type: 'checking' });
    expect(controller.status().phase).toBe('checking');
    port.emit({ type: 'not-available' });
    const status = controller.status();
    expect(status.phase).toBe('up_to_date');
    expect(status.availableVersion).toBeNull();
    expect(status.lastCheckedAt).toBe('2026-12-04T12:00:00.000Z');
    expect(port.downloads).toBe(0);
  });

  it('downloads an available update', () => {
    const { port, controller } = setup();
    port.emit({ type: 'available', version: '1.1.0' });
    expect(port.downloads).toBe(1);
    expect(controller.status().phase).toBe('downloading');
    expect(controller.status().availableVersion).toBe('1.1.0');
    expect(controller.status().percent).toBe(0);
  });

  it('reports download progress', () => {
    const { port, controller } = setup();
    port.emit({ type: 'available', version: '1.1.0' });
    port.emit({ type: 'progress', percent: 42.5 });
    expect(controller.status().percent).toBe(42.5);
    port.emit({ type: 'progress', percent: 140 });
    expect(controller.status().percent).toBe(100);
  });

  it('marks a downloaded update ready', () => {
    const { port, controller } = setup();
    const seen: string[] = [];
    controller.onChange((status) => seen.push(status.phase));
    port.emit({ type: 'available', version: '1.1.0' });
    port.emit({ type: 'downloaded', version: '1.1.0' });
    expect(controller.status().phase).toBe('ready');
    expect(port.installOnQuit).toBe(true);
    expect(port.installs).toBe(0);
    expect(seen).toEqual(['downloading', 'ready']);
  });

  it('shows a check error with the download link', () => {
    const { port, controller } = setup();
    port.emit({ type: 'checking' });
    port.emit({ type: 'error', message: 'net::ERR_NAME_NOT_RESOLVED' });
    const status = controller.status();
    expect(status.phase).toBe('error');
    expect(status.error).toEqual({ message: 'net::ERR_NAME_NOT_RESOLVED', during: 'check' });
    expect(status.downloadUrl).toBe('https://updates.example.test/console/');
  });

  it('shows a download error', () => {
    const { port, controller } = setup();
    port.emit({ type: 'available', version: '1.1.0' });
    port.emit({ type: 'error', message: 'sha512 checksum mismatch' });
    expect(controller.status().error).toEqual({ message: 'sha512 checksum mismatch', during: 'download' });
  });

  it('reports a rejected check once', async () => {
    const { port, controller } = setup();
    port.checkFailure = new Error('HttpError: 404 Not Found');
    const seen: (string | undefined)[] = [];
    controller.onChange((status) => seen.push(status.error?.message));
    await controller.check();
    expect(controller.status().error?.message).toBe('HttpError: 404 Not Found');
    expect(seen).toEqual(['HttpError: 404 Not Found']);
  });

  it('keeps a ready update after a failed re-check', () => {
    const { port, controller } = setup();
    port.emit({ type: 'downloaded', version: '1.1.0' });
    port.emit({ type: 'checking' });
    port.emit({ type: 'error', message: 'offline' });
    port.emit({ type: 'not-available' });
    expect(controller.status().phase).toBe('ready');
    expect(controller.status().error).toBeNull();
  });

  it('installs at once when idle', () => {
    const { port, controller } = setup();
    port.emit({ type: 'downloaded', version: '1.1.0' });
    const outcome = controller.restartToUpdate();
    expect(outcome.restarting).toBe(true);
    expect(port.installs).toBe(1);
  });

  it('refuses to restart before a download', () => {
    const { port, controller } = setup();
    const outcome = controller.restartToUpdate();
    expect(outcome.restarting).toBe(false);
    expect(outcome.message).toMatch(/No update has been downloaded/);
    expect(port.installs).toBe(0);
  });

  it('defers install during a bulk push', () => {
    const { port, controller, state, fire } = setup({ bulkPushes: 1, linkResolutions: 0 });
    port.emit({ type: 'available', version: '1.1.0' });
    port.emit({ type: 'downloaded', version: '1.1.0' });
    expect(port.installOnQuit).toBe(false);

    const outcome = controller.restartToUpdate();
    expect(outcome.restarting).toBe(false);
    expect(outcome.message).toContain('Waiting for 1 bulk push to finish.');
    expect(port.installs).toBe(0);
    expect(controller.status().installRequested).toBe(true);
    expect(controller.status().waitingFor).toBe('Waiting for 1 bulk push to finish.');

    // The run goes on: the poll looks again and still waits.
    fire(5000);
    expect(port.installs).toBe(0);

    state.activity = { bulkPushes: 0, linkResolutions: 2 };
    fire(5000);
    expect(port.installs).toBe(0);
    expect(controller.status().waitingFor).toBe('Waiting for 2 link resolutions to finish.');

    state.activity = { bulkPushes: 0, linkResolutions: 0 };
    fire(5000);
    expect(port.installs).toBe(1);
    expect(controller.status().waitingFor).toBeNull();

    // The poll stops once the install has started.
    fire(5000);
    expect(port.installs).toBe(1);
  });

  it('waits when ready during a requested restart', () => {
    const { port, controller, state, fire } = setup({ bulkPushes: 0, linkResolutions: 1 });
    port.emit({ type: 'downloaded', version: '1.1.0' });
    controller.restartToUpdate();
    expect(port.installs).toBe(0);
    state.activity = { bulkPushes: 0, linkResolutions: 0 };
    fire(5000);
    expect(port.installs).toBe(1);
  });

  it('skips install on quit while busy', () => {
    const { port, controller, state } = setup();
    port.emit({ type: 'downloaded', version: '1.1.0' });
    expect(port.installOnQuit).toBe(true);

    state.activity = { bulkPushes: 2, linkResolutions: 0 };
    controller.prepareForQuit();
    expect(port.installOnQuit).toBe(false);

    state.activity = { bulkPushes: 0, linkResolutions: 0 };
    controller.prepareForQuit();
    expect(port.installOnQuit).toBe(true);
  });

  it('never installs on quit before a download', () => {
    const { port, controller } = setup();
    port.emit({ type: 'available', version: '1.1.0' });
    controller.prepareForQuit();
    expect(port.installOnQuit).toBe(false);
  });
});
