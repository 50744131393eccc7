// Virtual time for limiter and retry tests: `sleep` registers a timer and `advance` fires the
// timers that fall due, in order, moving the clock to each one.
import type { Clock } from '../../../core/clock.js';
import type { Sleep } from '../../../core/ashby/rate-limiter.js';

interface Timer {
  at: number;
  resolve: () => void;
}

export interface ManualClock {
  clock: Clock;
  sleep: Sleep;
  /** Moves time forward by `ms`, firing due timers and letting their continuations run. */
  advance(ms: number): Promise<void>;
  /** Lets pending promise continuations run without moving time. */
  settle(): Promise<void>;
  pendingTimers(): number;
  /** Every delay passed to `sleep`, in call order. */
  sleeps: number[];
}

async function flush(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createManualClock(start = 1_800_000_000_000): ManualClock {
  let now = start;
  const timers: Timer[] = [];
  const sleeps: number[] = [];

  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      sleeps.push(ms);
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { at: now + Math.max(0, ms), resolve };
      signal?.addEventListener(
        'abort',
        () => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      timers.push(timer);
    });

  async function advance(ms: number): Promise<void> {
    const target = now + ms;
    await flush();
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > target) break;
      timers.shift();
      now = next.at;
      next.resolve();
      await flush();
    }
    now = target;
    await flush();
  }

  return {
    clock: { now: () => now },
    sleep,
    advance,
    settle: flush,
    pendingTimers: () => timers.length,
    sleeps,
  };
}
