// Runs the real CLI as a child process (`tsx core/cli/main.ts`) against a temp data folder, the way
// a user or a scheduled job runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
export const SAMPLES = path.join(ROOT, 'resources', 'samples');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to stdin, then stdin is closed. */
  input?: string;
  env?: Record<string, string | undefined>;
}

export interface CliHarness {
  dataDir: string;
  run(args: string[], options?: CliOptions): Promise<CliRun>;
  /** Runs with --json and returns the parsed document; fails when stdout is not exactly one JSON document. */
  json(args: string[], options?: CliOptions): Promise<{ run: CliRun; document: { ok: boolean; result?: unknown; error?: { code: string; message: string; details?: unknown } } }>;
}

/** Creates a harness with its own data folder. `env` is added to every run (the secret store choice). */
export function createCliHarness(env: Record<string, string | undefined> = { ASHBY_SYNC_SECRET_STORE: 'memory' }): CliHarness {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
  const run = (args: string[], options: CliOptions = {}): Promise<CliRun> =>
    new Promise((resolve, reject) => {
      const child = spawn(TSX, ['core/cli/main.ts', '--data-dir', dataDir, ...args], {
        cwd: ROOT,
        env: { ...process.env, ASHBY_SYNC_DATA_DIR: undefined, ...env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  return {
    dataDir,
    run,
    async json(args, options) {
      const result = await run(['--json', ...args], options);
      const text = result.stdout.trim();
      if (text.includes('\n')) throw new Error(`expected one JSON document on stdout, got:\n${result.stdout}\nstderr:\n${result.stderr}`);
      try {
        return { run: result, document: JSON.parse(text) as { ok: boolean; result?: unknown; error?: { code: string; message: string } } };
      } catch {
        throw new Error(`stdout is not JSON:\n${result.stdout}\nstderr:\n${result.stderr}`);
      }
    },
  };
}
