// Runs the browser host's entry point (`npm run host`) as a child process for the e2e tests.
import { spawn } from 'node:child_process';
import path from 'node:path';

const STARTUP_TIMEOUT_MS = 30_000;

export interface HostProcess {
  /** The URL the host printed, with its access token. */
  url: string;
  /** Sends SIGTERM and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the host on port 0 with an in-memory secret store and waits for its URL. `env` is added
 * to the environment last, so a test can choose another secret store.
 */
export async function startHostProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<HostProcess> {
  const child = spawn(
    path.resolve('node_modules/.bin/tsx'),
    ['core/host/main.ts', '--data-dir', dataDir],
    {
      env: { ...process.env, ASHBY_SYNC_SECRET_STORE: 'memory', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new Error(
          `The browser host printed no URL within ${STARTUP_TIMEOUT_MS} ms. Output:\n${output}`,
        ),
      );
    }, STARTUP_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `The browser host exited with code ${code} before printing its URL. Output:\n${output}`,
        ),
      );
    });
  });

  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
