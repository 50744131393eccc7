// Auto-update policy, kept apart from electron-updater so it runs and is tested in plain Node.
// Electron main wraps electron-updater's autoUpdater in an UpdaterPort (electron/main/updater.ts);
// tests drive a fake port. The policy: check at start and every 6 hours, download in the
// background, and install on request or on quit, but never while a bulk push or link resolution
// is running, because restarting would interrupt its Ashby writes.
import type { UpdateStatus } from '../../shared/contract/app-updates.js';
import { isoNow, systemClock, type Clock } from '../clock.js';
import type { WorkActivity } from './activity.js';
import { describeActivity, isBusy } from './activity.js';

/** Event from electron-updater, reduced to the ones the policy reacts to. */
export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string };

/** The few updater operations the policy needs; electron-updater's autoUpdater in the app. */
export interface UpdaterPort {
  /** Starts a check; its outcome arrives as events. May reject as well as emit `error`. */
  checkForUpdates(): Promise<void>;
  /** Starts downloading the available version; progress and the outcome arrive as events. */
  downloadUpdate(): Promise<void>;
  /** Quits the app and runs the downloaded installer. */
  quitAndInstall(): void;
  /** Sets whether a downloaded update is installed when the app quits. */
  setInstallOnQuit(enabled: boolean): void;
  /** Adds a listener for updater events; returns a function that removes it. */
  onEvent(listener: (event: UpdaterEvent) => void): () => void;
}

/** Repeating timer, injected so tests fire it by hand. Returns a function that cancels it. */
export type ScheduleRepeating = (intervalMs: number, run: () => void) => () => void;

export const systemSchedule: ScheduleRepeating = (intervalMs, run) => {
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

export interface UpdateLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface UpdateControllerOptions {
  port: UpdaterPort;
  currentVersion: string;
  /** Page with the installers, shown when a check or download fails; null when unknown. */
  downloadUrl: string | null;
  /** Reads the runs in progress now (from the `runs` table in the app). */
  readActivity: () => WorkActivity;
  clock?: Clock;
  schedule?: ScheduleRepeating;
  logger?: UpdateLogger;
  /** Time between background checks. Default 6 hours. */
  checkIntervalMs?: number;
  /** Time between looks at the runs while an install waits for them. Default 5 seconds. */
  busyPollMs?: number;
}

export interface RestartOutcome {
  restarting: boolean;
  message: string;
}

export interface UpdateController {
  /** Checks now and then every `checkIntervalMs`. */
  start(): void;
  /** Cancels the timers; the updater keeps a finished download for the next start. */
  stop(): void;
  /** Checks now (the "Check for updates" menu item); the outcome shows in `status()`. */
  check(): Promise<void>;
  status(): UpdateStatus;
  /** Installs the downloaded update now, or as soon as no run is in progress. */
  restartToUpdate(): RestartOutcome;
  /** Called when the app is about to quit: installs on quit only while no run is in progress. */
  prepareForQuit(): void;
  /** Adds a listener called after each status change; returns a function that removes it. */
  onChange(listener: (status: UpdateStatus) => void): () => void;
}

export const DEFAULT_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;
export const DEFAULT_BUSY_POLL_MS = 5000;

/** Creates the controller. Nothing happens until `start()` or `check()`. */
export function createUpdateController(options: UpdateControllerOptions): UpdateController {
  const { port, readActivity } = options;
  const clock = options.clock ?? systemClock;
  const schedule = options.schedule ?? systemSchedule;
  const checkIntervalMs = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const busyPollMs = options.busyPollMs ?? DEFAULT_BUSY_POLL_MS;
  const logger = options.logger;

  let phase: UpdateStatus['phase'] = 'idle';
  let availableVersion: string | null = null;
  let percent: number | null = null;
  let error: UpdateStatus['error'] = null;
  let lastCheckedAt: string | null = null;
  let installRequested = false;
  let waitingFor: string | null = null;
  let installing = false;

  const listeners = new Set<(status: UpdateStatus) => void>();
  const cancels: (() => void)[] = [];
  let cancelBusyPoll: (() => void) | null = null;

  function status(): UpdateStatus {
    return {
      enabled: true,
      disabledReason: null,
      phase,
      currentVersion: options.currentVersion,
      availableVersion,
      percent,
      error,
      lastCheckedAt,
      installRequested,
      waitingFor,
      downloadUrl: options.downloadUrl,
    };
  }

  function changed(): void {
    const snapshot = status();
    for (const listener of listeners) listener(snapshot);
  }

  // Keeps install-on-quit in step with the runs, so quitting during a bulk push leaves the
  // downloaded update for the next quit instead of installing over an interrupted run.
  function syncInstallOnQuit(activity: WorkActivity): void {
    port.setInstallOnQuit(phase === 'ready' && !isBusy(activity));
  }

  function stopBusyPoll(): void {
    cancelBusyPoll?.();
    cancelBusyPoll = null;
  }

  // Installs when the update is downloaded, requested and no run is in progress; otherwise
  // records what the install waits for. Returns true when it started the install.
  function installIfIdle(): boolean {
    if (installing || phase !== 'ready' || !installRequested) return false;
    const activity = readActivity();
    syncInstallOnQuit(activity);
    if (isBusy(activity)) {
      const nextWaitingFor = describeActivity(activity);
      if (nextWaitingFor !== waitingFor) {
        waitingFor = nextWaitingFor;
        logger?.info({ waitingFor }, 'update install waits for runs to finish');
        changed();
      }
      cancelBusyPoll ??= schedule(busyPollMs, () => void installIfIdle());
      return false;
    }
    stopBusyPoll();
    waitingFor = null;
    installing = true;
    logger?.info({ version: availableVersion }, 'installing the downloaded update');
    changed();
    port.quitAndInstall();
    return true;
  }

  function failed(message: string): void {
    const during = phase === 'downloading' ? 'download' : 'check';
    phase = 'error';
    percent = null;
    error = { message, during };
    logger?.warn({ during, reason: message }, 'update failed');
    changed();
  }

  function handle(event: UpdaterEvent): void {
    switch (event.type) {
      case 'checking':
        // A check that finds nothing new keeps a downloaded update ready.
        if (phase === 'ready') return;
        phase = 'checking';
        error = null;
        changed();
        return;
      case 'available':
        lastCheckedAt = isoNow(clock);
        if (phase === 'ready' && availableVersion === event.version) return;
        phase = 'downloading';
        availableVersion = event.version;
        percent = 0;
        error = null;
        changed();
        port.downloadUpdate().catch((reason: unknown) => failed(messageOf(reason)));
        return;
      case 'not-available':
        lastCheckedAt = isoNow(clock);
        if (phase === 'ready') return;
        phase = 'up_to_date';
        availableVersion = null;
        percent = null;
        error = null;
        changed();
        return;
      case 'progress':
        if (phase !== 'downloading') return;
        percent = Math.max(0, Math.min(100, event.percent));
        changed();
        return;
      case 'downloaded':
        phase = 'ready';
        availableVersion = event.version;
        percent = 100;
        error = null;
        logger?.info({ version: event.version }, 'update downloaded');
        syncInstallOnQuit(readActivity());
        changed();
        installIfIdle();
        return;
      case 'error':
        // A failed background re-check must not hide an update that is already downloaded.
        if (phase === 'ready') {
          logger?.warn({ reason: event.message }, 'update check failed; keeping the downloaded update');
          return;
        }
        failed(event.message);
        return;
    }
  }

  cancels.push(port.onEvent(handle));

  async function check(): Promise<void> {
    try {
      await port.checkForUpdates();
    } catch (reason) {
      // electron-updater both emits `error` and rejects; report the failure once.
      if (phase !== 'error' && phase !== 'ready') failed(messageOf(reason));
    }
  }

  return {
    start() {
      void check();
      cancels.push(schedule(checkIntervalMs, () => void check()));
    },

    stop() {
      stopBusyPoll();
      for (const cancel of cancels.splice(0)) cancel();
    },

    check,
    status,

    restartToUpdate() {
      if (phase !== 'ready') {
        return { restarting: false, message: 'No update has been downloaded yet.' };
      }
      installRequested = true;
      if (installIfIdle()) {
        return { restarting: true, message: `Restarting to install version ${availableVersion}.` };
      }
      changed();
      return {
        restarting: false,
        message: `Version ${availableVersion} installs, and the console restarts, once no run is in progress. ${waitingFor ?? ''}`.trim(),
      };
    },

    prepareForQuit() {
      syncInstallOnQuit(readActivity());
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Status reported where updates are off (development, the browser host, a build without a feed). */
export function disabledUpdateStatus(currentVersion: string, reason: string, downloadUrl: string | null): UpdateStatus {
  return {
    enabled: false,
    disabledReason: reason,
    phase: 'idle',
    currentVersion,
    availableVersion: null,
    percent: null,
    error: null,
    lastCheckedAt: null,
    installRequested: false,
    waitingFor: null,
    downloadUrl,
  };
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
