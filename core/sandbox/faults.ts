// Fault injection per tenant and endpoint. Decisions for `rate` come from a seeded PRNG, so a
// test that injects faults on a fraction of calls gets the same calls failing on every run.
import { AdminError } from './errors.js';
import { seededRandom } from './ids.js';

export const FAULT_KINDS = ['latency', 'http_500', 'timeout', 'commit_then_drop', 'rate_limit', 'partner_rate_limit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRequest {
  /** Tenant name, or `*` for every tenant. */
  tenant: string;
  /** Ashby endpoint name (`candidate.create`), or `*` for every endpoint. */
  endpoint: string;
  kind: FaultKind;
  /** Apply to the next N matching calls only; unlimited when left out. */
  times?: number;
  /** Apply to this fraction (0..1) of matching calls; every matching call when left out. */
  rate?: number;
  /** Delay for `latency`; `Retry-After` seconds are derived from it for the 429 kinds (default 1 s). */
  ms?: number;
}

export interface FaultRule extends FaultRequest {
  id: number;
  remaining: number | null;
}

/** Outcome of drawing the matching faults for one call. */
export interface FaultDecision {
  delayMs: number;
  /** The first non-latency fault that fired, if any. */
  action: FaultRule | null;
}

/**
 * Checks a fault request. With `knownEndpoints`, an endpoint that is neither `*` nor in the list
 * is rejected, so a misspelled name does not yield a fault that never fires.
 */
export function validateFault(input: unknown, knownEndpoints?: readonly string[]): FaultRequest {
  if (typeof input !== 'object' || input === null) throw new AdminError(400, 'invalid_fault', 'Send a JSON object describing the fault.');
  const value = input as Record<string, unknown>;
  const { tenant, endpoint, kind, times, rate, ms } = value;
  if (typeof tenant !== 'string' || tenant === '') throw new AdminError(400, 'invalid_fault', 'tenant must be a tenant name or "*".');
  if (typeof endpoint !== 'string' || endpoint === '') throw new AdminError(400, 'invalid_fault', 'endpoint must be an endpoint name or "*".');
  if (knownEndpoints !== undefined && endpoint !== '*' && !knownEndpoints.includes(endpoint)) {
    throw new AdminError(400, 'invalid_fault', `Unknown endpoint "${endpoint}"; use "*" or one of ${[...knownEndpoints].sort().join(', ')}.`);
  }
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new AdminError(400, 'invalid_fault', `kind must be one of ${FAULT_KINDS.join(', ')}; got ${String(kind)}.`);
  }
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new AdminError(400, 'invalid_fault', `times must be a whole number of at least 1; got ${String(times)}.`);
  }
  if (rate !== undefined && (typeof rate !== 'number' || rate < 0 || rate > 1)) {
    throw new AdminError(400, 'invalid_fault', `rate must be a fraction from 0 to 1; got ${String(rate)}.`);
  }
  if (ms !== undefined && (typeof ms !== 'number' || ms < 0)) {
    throw new AdminError(400, 'invalid_fault', `ms must be a non-negative number of milliseconds; got ${String(ms)}.`);
  }
  const fault: FaultRequest = { tenant, endpoint, kind: kind as FaultKind };
  if (times !== undefined) fault.times = times;
  if (rate !== undefined) fault.rate = rate;
  if (ms !== undefined) fault.ms = ms;
  return fault;
}

export class FaultBook {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  add(fault: FaultRequest): FaultRule {
    const rule: FaultRule = { ...fault, id: this.nextId, remaining: fault.times ?? null };
    this.nextId += 1;
    this.rules.push(rule);
    return rule;
  }

  /** Removes the rules of one tenant, or every rule when `tenant` is left out. */
  clear(tenant?: string): void {
    this.rules = tenant === undefined ? [] : this.rules.filter((rule) => rule.tenant !== tenant);
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Draws the faults for one call; latency rules add up, and the first other rule that fires wins. */
  draw(tenant: string, endpoint: string): FaultDecision {
    let delayMs = 0;
    let action: FaultRule | null = null;
    for (const rule of this.rules) {
      if (rule.tenant !== '*' && rule.tenant !== tenant) continue;
      if (rule.endpoint !== '*' && rule.endpoint !== endpoint) continue;
      if (rule.kind !== 'latency' && action !== null) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      if (rule.remaining !== null) rule.remaining -= 1;
      if (rule.kind === 'latency') delayMs += rule.ms ?? 0;
      else action = rule;
    }
    this.rules = this.rules.filter((rule) => rule.remaining === null || rule.remaining > 0);
    return { delayMs, action };
  }
}
