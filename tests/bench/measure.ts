// Measurements taken inside a scenario's child process: wall time, event-loop lag, peak memory,
// and the Ashby calls the sandbox counted for a tenant.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const MIB = 1024 * 1024;

/** Endpoint name under which the sandbox counts uploads to presigned URLs; not an Ashby API call. */
export const PRESIGNED_UPLOAD_ENDPOINT = 'file.upload';

export interface CallCount {
  /** Ashby API calls, uploads to presigned URLs left out. */
  ashbyCalls: number;
  uploads: number;
  byEndpoint: Record<string, number>;
}

/** Reads the sandbox's per-tenant call counters over its admin route. */
export async function readCalls(sandboxUrl: string, tenant: string): Promise<CallCount> {
  const response = await fetch(`${sandboxUrl}/_sandbox/calls?tenant=${encodeURIComponent(tenant)}`);
  if (!response.ok) throw new Error(`reading the call counts of ${tenant} failed with HTTP ${response.status}`);
  const counts = (await response.json()) as { total: number; byEndpoint: Record<string, number> };
  const uploads = counts.byEndpoint[PRESIGNED_UPLOAD_ENDPOINT] ?? 0;
  return { ashbyCalls: counts.total - uploads, uploads, byEndpoint: counts.byEndpoint };
}

export async function resetCalls(sandboxUrl: string, tenant: string): Promise<void> {
  const response = await fetch(`${sandboxUrl}/_sandbox/calls/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant }),
  });
  if (!response.ok) throw new Error(`resetting the call counts of ${tenant} failed with HTTP ${response.status}`);
}

/** Sums the counts of several tenants. */
export function sumCalls(counts: readonly CallCount[]): CallCount {
  const byEndpoint: Record<string, number> = {};
  for (const count of counts) {
    for (const [endpoint, calls] of Object.entries(count.byEndpoint)) byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + calls;
  }
  return {
    ashbyCalls: counts.reduce((total, count) => total + count.ashbyCalls, 0),
    uploads: counts.reduce((total, count) => total + count.uploads, 0),
    byEndpoint,
  };
}

/** Sampling interval of the event-loop delay histogram, in milliseconds. */
const LAG_RESOLUTION_MS = 10;

/** Shortest delay the trace keeps, in milliseconds beyond its own interval. */
const TRACE_MIN_DELAY_MS = 12;
const TRACE_INTERVAL_MS = 2;

/**
 * With `BENCH_LAG_TRACE_DIR` set, records each event-loop delay over 12 ms with the monotonic time
 * it ended (microseconds, the clock of V8's CPU profiles), and writes them to a JSON file in that
 * folder. Together with `BENCH_CPU_PROFILE_DIR` it shows which code ran during each delay.
 */
class LagTrace {
  private timer: NodeJS.Timeout | undefined;
  private readonly delays: { endUs: number; delayMs: number }[] = [];

  start(): void {
    if (process.env['BENCH_LAG_TRACE_DIR'] === undefined) return;
    let last = process.hrtime.bigint();
    this.timer = setInterval(() => {
      const now = process.hrtime.bigint();
      const delayMs = Number(now - last) / 1e6 - TRACE_INTERVAL_MS;
      last = now;
      if (delayMs > TRACE_MIN_DELAY_MS) this.delays.push({ endUs: Number(now / 1000n), delayMs: Math.round(delayMs) });
    }, TRACE_INTERVAL_MS);
  }

  stop(): void {
    const dir = process.env['BENCH_LAG_TRACE_DIR'];
    if (dir === undefined || this.timer === undefined) return;
    clearInterval(this.timer);
    writeFileSync(path.join(dir, `lag-${process.pid}-${Date.now()}.json`), JSON.stringify(this.delays));
  }
}

/** Times one measured phase and records event-loop delay while it runs. */
export class PhaseTimer {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  private startedAt = 0;
  private stoppedAt = 0;
  private peakRss = 0;
  private sampler: NodeJS.Timeout | undefined;

  start(): void {
    this.histogram.reset();
    this.histogram.enable();
    this.peakRss = process.memoryUsage.rss();
    this.sampler = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    }, 100);
    this.startedAt = performance.now();
    this.trace.start();
  }

  private readonly trace = new LagTrace();

  /**
   * Ends the phase. The histogram records a blocked stretch only when its timer next fires, so the
   * loop is given one more turn first: a phase that ends in synchronous work is measured whole.
   */
  async stop(): Promise<void> {
    this.stoppedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, LAG_RESOLUTION_MS * 2));
    this.histogram.disable();
    clearInterval(this.sampler);
    this.trace.stop();
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  /** Highest RSS sampled every 100 ms during the phase, in MiB; setup before the phase is left out. */
  get phasePeakRssMb(): number {
    return this.peakRss / MIB;
  }

  get wallSeconds(): number {
    return (this.stoppedAt - this.startedAt) / 1000;
  }

  /**
   * 99th percentile of event-loop delay during the phase, in milliseconds. Node 20's histogram
   * records the whole interval between samples (an idle loop reads about the resolution), so the
   * resolution is taken off to leave the delay itself.
   */
  get lagP99Ms(): number {
    if (this.histogram.count === 0) return 0;
    return Math.max(0, this.histogram.percentile(99) / 1e6 - LAG_RESOLUTION_MS);
  }

  /** Maximum event-loop delay during the phase, in milliseconds, measured like `lagP99Ms`. */
  get lagMaxMs(): number {
    if (this.histogram.count === 0) return 0;
    return Math.max(0, this.histogram.max / 1e6 - LAG_RESOLUTION_MS);
  }
}

/**
 * Measures event-loop delay p99 while the process does nothing for `ms`, as a baseline: on a
 * shared machine other processes' load shows up as lag too.
 */
export async function idleLagP99Ms(ms: number): Promise<number> {
  const timer = new PhaseTimer();
  timer.start();
  await new Promise((resolve) => setTimeout(resolve, ms));
  await timer.stop();
  return timer.lagP99Ms;
}

/** Peak resident set size of this process since it started, in MiB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function currentRssMb(): number {
  return process.memoryUsage.rss() / MIB;
}
