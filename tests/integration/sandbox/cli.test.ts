import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { callAshby, type Json } from './http.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('sandbox CLI', () => {
  it('prints one JSON line and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/sandbox/main.ts', '--port', '0', '--seed', 'empty', '--rate-limit', '50'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [firstLine] = (await once(lines, 'line')) as [string];
      const printed = JSON.parse(firstLine) as { url: string; tenants: { name: string; apiKey: string }[] };
      expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(printed.tenants).toHaveLength(1);
      expect(printed.tenants[0]!.name).toBe('Sandbox Org');

      const reply = await callAshby(printed.url, printed.tenants[0]!.apiKey, 'job.list');
      expect((reply.body as Json)['success']).toBe(true);
      expect(reply.headers.get('x-ratelimit-limit')).toBe('50');
      const candidates = await callAshby(printed.url, printed.tenants[0]!.apiKey, 'candidate.list');
      expect((candidates.body as Json)['results']).toEqual([]);

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects an unknown seed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'core/sandbox/main.ts', '--seed', 'galaxy'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    expect(stderr).toContain('expected demo or empty');
  });
});
