// Starts `npm run host`'s entry point with a temporary data folder and an in-memory secret store,
// reads the URL it prints, and hands it and the folder to the tests in ASHBY_SYNC_E2E_URL and
// ASHBY_SYNC_E2E_DATA_DIR. The returned function stops the host and removes the folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const STARTUP_TIMEOUT_MS = 30_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-'));
  const child = spawn(
    path.resolve('node_modules/.bin/tsx'),
    ['core/host/main.ts', '--data-dir', dataDir],
    {
      env: { ...process.env, ASHBY_SYNC_SECRET_STORE: 'memory' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `The browser host printed no URL within ${STARTUP_TIMEOUT_MS} ms. Output:\n${output}`,
          ),
        ),
      STARTUP_TIMEOUT_MS,
    );
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
  process.env.ASHBY_SYNC_E2E_URL = url;
  process.env.ASHBY_SYNC_E2E_DATA_DIR = dataDir;

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
}
