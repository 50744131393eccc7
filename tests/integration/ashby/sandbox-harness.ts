// Starts the sandbox on 127.0.0.1:0 for client tests and wraps its admin routes.
import type { Sandbox, SandboxOptions } from '../../../core/sandbox/index.js';
import { startSandbox } from '../../../core/sandbox/index.js';
import type { FaultRequest } from '../../../core/sandbox/index.js';

export interface Harness {
  sandbox: Sandbox;
  url: string;
  /** Seeded tenants by name, with their full-permission keys. */
  keyOf(tenant: string): string;
  tenantNames(): string[];
  admin(path: string, body: unknown): Promise<unknown>;
  fault(fault: FaultRequest): Promise<void>;
  state(tenant: string): Promise<{ candidates: { id: string; name: string; resumeFileHandle?: unknown }[] }>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, seed: 'demo', ...options });

  async function admin(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`admin ${path} failed with HTTP ${response.status}: ${JSON.stringify(parsed)}`);
    return parsed;
  }

  return {
    sandbox,
    url: sandbox.url,
    keyOf(tenant) {
      const found = sandbox.tenants.find((entry) => entry.name === tenant);
      if (!found) throw new Error(`no sandbox tenant ${tenant}`);
      return found.apiKey;
    },
    tenantNames: () => sandbox.tenants.map((entry) => entry.name),
    admin,
    fault: async (fault) => void (await admin('faults', fault)),
    state: async (tenant) => {
      const response = await fetch(`${sandbox.url}/_sandbox/state?tenant=${encodeURIComponent(tenant)}`);
      return (await response.json()) as { candidates: { id: string; name: string }[] };
    },
  };
}
