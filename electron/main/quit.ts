// Closing the context on quit. The engine's stop() already waits up to 10 s for in-flight Ashby
// writes and then aborts them (DEFAULT_LIMITS.stopTimeoutMs in core/engine/engine.ts). This adds
// an outer bound, so a close that hangs elsewhere cannot keep the app from quitting.
import type { AppContext } from '../../core/app/context.js';
import { clearSessionRunning } from '../../core/desktop/session-marker.js';

/** Maximum time a quit waits for the context to close, in milliseconds. */
export const QUIT_TIMEOUT_MS = 15_000;

export interface QuitLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Closes the context within `timeoutMs`. Only a close that finished removes the session marker,
 * so a quit that timed out shows the "ended unexpectedly" notice at the next start.
 */
export async function closeForQuit(context: AppContext, logger: QuitLogger, timeoutMs = QUIT_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed_out'>((resolve) => {
    timer = setTimeout(() => resolve('timed_out'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([context.close().then(() => 'closed' as const), timedOut]);
    if (outcome === 'timed_out') {
      logger.error({ timeoutMs }, 'closing the console timed out; quitting anyway');
      return;
    }
    clearSessionRunning(context.dataDir);
  } catch (error) {
    logger.error({ err: error }, 'closing the console failed; quitting anyway');
  } finally {
    clearTimeout(timer);
  }
}
