// Client settings through the browser host: a warning while the Archive event has no archive
// reason, and a short "Saved" note after each change.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../core/sandbox/index.js';
import { chooseClient, connectClient, openScreen, pickOption } from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

let sandbox: Sandbox;
let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-settings-'));
  host = await startHostProcess(dataDir);
});

test.afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('archive reason warning and saved notes', async ({ page }) => {
  const apiKey = sandbox.tenants.find((tenant) => tenant.name === 'Northwind Robotics')!.apiKey;
  await page.goto(host.url);
  await connectClient(page, { name: 'Northwind Robotics', apiKey, baseUrl: sandbox.url });
  await chooseClient(page, 'Northwind Robotics');
  await openScreen(page, 'Client settings');
  const settings = page.getByTestId('client-settings');
  await expect(settings).toHaveAttribute('data-ready', 'true');

  // Archive is on by default and the wizard chose no reason.
  const warning = settings.getByTestId('archive-reason-warning');
  await expect(warning).toHaveText('Archive pushes will wait until an archive reason is chosen.');

  await pickOption(page, 'Archive reason', 'Not a fit');
  await expect(settings.getByRole('status', { name: 'Saved archive reason' })).toBeVisible();
  await expect(warning).toHaveCount(0);

  await settings.getByRole('button', { name: 'Clear Archive reason' }).click();
  await expect(warning).toBeVisible();

  await settings.getByRole('switch', { name: 'Archive' }).click({ force: true });
  await expect(settings.getByRole('status', { name: 'Saved events' })).toBeVisible();
  await expect(warning).toHaveCount(0);

  await settings.getByRole('switch', { name: 'Review before push' }).click({ force: true });
  await expect(settings.getByRole('status', { name: 'Saved review before push' })).toBeVisible();
});
