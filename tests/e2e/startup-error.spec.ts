// A data folder the console cannot open shows the startup error screen, with the reason, instead
// of a blank or half-working console.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { startHostProcess } from './host-process.js';

test('newer database shows startup error', async ({ page }, testInfo) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-too-new-'));
  const file = path.join(dataDir, 'console.sqlite');
  const db = new Database(file);
  db.pragma('user_version = 999');
  db.close();
  const before = readFileSync(file);

  const host = await startHostProcess(dataDir);
  try {
    await page.goto(host.url);

    const screen = page.getByTestId('startup-error');
    await expect(screen).toBeVisible();
    await expect(
      screen.getByRole('heading', { name: 'Ashby Sync Console could not start' }),
    ).toBeVisible();
    await expect(screen.getByRole('alert')).toHaveAttribute('data-error-code', 'store_too_new');
    await expect(screen.getByRole('alert')).toContainText('schema version 999');
    await page.screenshot({ path: testInfo.outputPath('startup-error.png'), fullPage: true });
  } finally {
    await host.stop();
  }

  expect(readFileSync(file).equals(before)).toBe(true);
  rmSync(dataDir, { recursive: true, force: true });
});
