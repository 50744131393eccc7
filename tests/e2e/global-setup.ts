// Starts the browser host with a temporary data folder and hands its URL and folder to the tests
// in ASHBY_SYNC_E2E_URL and ASHBY_SYNC_E2E_DATA_DIR. The returned function stops the host and
// removes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHostProcess } from './host-process.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-'));
  const host = await startHostProcess(dataDir);
  process.env.ASHBY_SYNC_E2E_URL = host.url;
  process.env.ASHBY_SYNC_E2E_DATA_DIR = dataDir;

  return async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
