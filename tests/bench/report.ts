// Turns a child's measurement into the reported figures, checks them against the targets, and
// prints the human table.
import type { ChildResult, ScenarioName } from './jobs.js';
import type { PreparedPart, Sizes } from './prepare.js';

export interface TargetCheck {
  name: string;
  target: string;
  value: number;
  met: boolean;
}

export interface ScenarioReport {
  name: string;
  scenario: ScenarioName;
  wall_s?: number;
  items?: number;
  ashby_calls?: number;
  calls_per_item?: number;
  items_per_min?: number;
  ceiling_items_per_min?: number | null;
  ratio_to_ceiling?: number | null;
  event_loop_lag_p99_ms?: number;
  event_loop_lag_max_ms?: number;
  peak_rss_mb?: number;
  failed: number;
  bound?: 'rate_limit' | 'latency' | 'none';
  presigned_uploads?: number;
  calls_by_endpoint?: Record<string, number>;
  detail?: Record<string, number | string>;
  verify_note?: string;
  targets?: TargetCheck[];
  error?: string;
}

interface JudgeSettings {
  quick: boolean;
  rateLimitPerMinute: number;
  sizes: Sizes;
}

const LAG_TARGET_MS = 20;
const RSS_TARGET_MB = 300;
const LINK_CALLS_TARGET = 250;
const IMPORT_SECONDS_TARGET = 10;

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function atMost(name: string, value: number, limit: number, unit = ''): TargetCheck {
  return { name, target: `<= ${limit}${unit}`, value, met: value <= limit };
}

function atLeast(name: string, value: number, limit: number): TargetCheck {
  return { name, target: `>= ${limit}`, value, met: value >= limit };
}

export function judge(
  scenario: ScenarioName,
  part: PreparedPart,
  measured: ChildResult,
  verified: { wrong: number; note: string },
  settings: JudgeSettings,
): ScenarioReport {
  const minutes = measured.wall_s / 60;
  const itemsPerMin = minutes > 0 ? measured.items / minutes : 0;
  const minCallsPerItem = measured.items > 0 ? part.minCalls / measured.items : 0;
  const ceiling = part.keys > 0 && minCallsPerItem > 0 ? (part.keys * settings.rateLimitPerMinute) / minCallsPerItem : null;
  const ratio = ceiling === null ? null : itemsPerMin / ceiling;
  const callsPerItem = measured.items > 0 ? measured.ashby_calls / measured.items : 0;
  let bound: ScenarioReport['bound'] = 'none';
  if (part.keys > 0) bound = measured.ashby_calls / part.keys > settings.rateLimitPerMinute ? 'rate_limit' : 'latency';

  const targets: TargetCheck[] = [];
  // Only a run that used more than a minute of budget per key measures the ceiling.
  if (['bulk_new', 'bulk_new_5_clients', 'advance'].includes(part.part) && ratio !== null && bound === 'rate_limit') {
    targets.push(atLeast('ratio_to_ceiling', round(ratio), 0.9));
  }
  if (part.part === 'bulk_new' || part.part.startsWith('bulk_new_')) targets.push(atMost('calls_per_item', round(callsPerItem, 3), 4));
  if (part.part === 'advance') targets.push(atMost('calls_per_item', round(callsPerItem, 3), 1));
  if (part.part === 'link_resolution') {
    // The 250-call budget is for a 20,000-candidate tenant; smaller runs scale it down.
    const budget = Math.ceil((LINK_CALLS_TARGET * settings.sizes.tenantCandidates) / 20_000);
    targets.push(atMost('ashby_calls', measured.ashby_calls, budget));
  }
  if (part.part === 'import_50k') {
    const budget = round((IMPORT_SECONDS_TARGET * settings.sizes.importRows) / 50_000, 1);
    targets.push(atMost('wall_s', measured.wall_s, budget, ' s'));
  }
  if (!part.part.startsWith('literal_')) {
    targets.push(atMost('event_loop_lag_p99_ms', measured.event_loop_lag_p99_ms, LAG_TARGET_MS, ' ms'));
    targets.push(atMost('peak_rss_mb', measured.peak_rss_mb, RSS_TARGET_MB, ' MB'));
  }

  return {
    name: part.part,
    scenario,
    wall_s: measured.wall_s,
    items: measured.items,
    ashby_calls: measured.ashby_calls,
    calls_per_item: round(callsPerItem, 3),
    items_per_min: round(itemsPerMin, 1),
    ceiling_items_per_min: ceiling === null ? null : round(ceiling, 1),
    ratio_to_ceiling: ratio === null ? null : round(ratio),
    event_loop_lag_p99_ms: measured.event_loop_lag_p99_ms,
    event_loop_lag_max_ms: measured.event_loop_lag_max_ms,
    peak_rss_mb: measured.peak_rss_mb,
    failed: measured.failed + verified.wrong,
    bound,
    presigned_uploads: measured.presigned_uploads,
    calls_by_endpoint: measured.calls_by_endpoint,
    detail: measured.detail,
    ...(verified.note === '' ? {} : { verify_note: verified.note }),
    targets,
  };
}

function cell(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return String(value);
}

interface TableDocument {
  machine: Record<string, string | number>;
  settings: { mode: string; latency_ms: number; rate_limit_per_minute_per_key: number; note: string };
  total_wall_s: number;
  failed: number;
  scenarios: ScenarioReport[];
}

/** Formats the run as a fixed-width table followed by each scenario's target checks. */
export function formatTable(document: TableDocument): string {
  const header = ['scenario', 'wall_s', 'items', 'calls', 'calls/item', 'items/min', 'ceiling', 'ratio', 'lag p99', 'lag max', 'rss MB', 'failed', 'bound'];
  const rows = document.scenarios.map((report) => [
    report.name,
    cell(report.wall_s),
    cell(report.items),
    cell(report.ashby_calls),
    cell(report.calls_per_item),
    cell(report.items_per_min),
    cell(report.ceiling_items_per_min),
    cell(report.ratio_to_ceiling),
    cell(report.event_loop_lag_p99_ms),
    cell(report.event_loop_lag_max_ms),
    cell(report.peak_rss_mb),
    cell(report.failed),
    cell(report.bound),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (row: string[]): string => row.map((value, column) => value.padEnd(widths[column] as number)).join('  ');

  const out: string[] = [];
  out.push(
    `Benchmark (${document.settings.mode}): ${document.settings.latency_ms} ms per call, ${document.settings.rate_limit_per_minute_per_key} requests/min per key; ` +
      `${document.machine['nproc']} cores, Node ${document.machine['node']}, ${document.machine['date']}`,
  );
  out.push(document.settings.note, '');
  out.push(line(header), line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) out.push(line(row));
  out.push('', 'Targets:');
  for (const report of document.scenarios) {
    if (report.error !== undefined) {
      out.push(`  ${report.name}: FAILED TO RUN: ${report.error.split('\n')[0] ?? ''}`);
      continue;
    }
    const checks = (report.targets ?? []).map((target) => `${target.met ? 'ok  ' : 'MISS'} ${target.name} ${target.value} (${target.target})`);
    out.push(`  ${report.name}: ${checks.length === 0 ? 'no targets (baseline)' : checks.join('; ')}`);
    if (report.verify_note !== undefined) out.push(`    check: ${report.verify_note}`);
  }
  out.push('', `Total ${document.total_wall_s} s; ${document.failed} failed items.`, '');
  return out.join('\n');
}
