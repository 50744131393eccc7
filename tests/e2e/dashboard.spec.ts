// The console loads through the browser host and shows the empty dashboard without errors.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type ConsoleMessage } from '@playwright/test';
import { systemClock } from '../../core/clock.js';
import { createClient } from '../../core/store/repo/clients.js';
import { openDatabase } from '../../core/store/db.js';

function consoleUrl(): string {
  const url = process.env.ASHBY_SYNC_E2E_URL;
  if (!url)
    throw new Error('ASHBY_SYNC_E2E_URL is not set; the global setup did not start the host.');
  return url;
}

test('dashboard loads through browser host', async ({ page }, testInfo) => {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`HTTP ${response.status()} for ${response.url().split('?')[0]}`);
  });

  await page.goto(consoleUrl());

  const dashboard = page.getByTestId('dashboard');
  await expect(dashboard).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('heading', { name: 'Ashby Sync Console' })).toBeVisible();
  await expect(page.getByText('No clients yet', { exact: true })).toBeVisible();
  const switcher = page.getByRole('combobox', { name: 'Client' });
  await expect(switcher).toBeVisible();
  await expect(switcher).toHaveAttribute('placeholder', 'No clients yet');
  await expect(page.getByTestId('secret-store-warning')).toContainText(
    'ASHBY_SYNC_SECRET_STORE=memory',
  );
  await expect(page.getByText('browser host')).toBeVisible();

  await page.screenshot({ path: testInfo.outputPath('dashboard.png'), fullPage: true });
  expect(problems).toEqual([]);
});

test('color scheme toggle switches to dark', async ({ page }) => {
  await page.goto(consoleUrl());
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'true');

  await page.getByRole('button', { name: 'Switch to dark mode' }).click();

  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await expect(page.getByRole('button', { name: 'Switch to light mode' })).toBeVisible();
});

test('page without token is forbidden', async ({ page }) => {
  const withoutToken = new URL(consoleUrl());
  withoutToken.search = '';

  const response = await page.goto(withoutToken.href);

  expect(response?.status()).toBe(403);
});

// Runs last: it adds a client, which the tests above expect not to exist.
test('dashboard lists a stored client', async ({ page }, testInfo) => {
  const dataDir = process.env.ASHBY_SYNC_E2E_DATA_DIR;
  if (!dataDir)
    throw new Error('ASHBY_SYNC_E2E_DATA_DIR is not set; the global setup did not run.');
  // The host created this file; a second connection next to it is how the CLI works too.
  const file = path.join(dataDir, 'console.sqlite');
  expect(existsSync(file)).toBe(true);
  const db = openDatabase({ file });
  try {
    createClient(db, systemClock, { name: 'Acme Robotics', baseUrl: 'http://127.0.0.1:9' });
  } finally {
    db.close();
  }

  await page.goto(consoleUrl());
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'true');

  await expect(page.getByRole('article', { name: 'Acme Robotics' })).toBeVisible();
  const switcher = page.getByRole('combobox', { name: 'Client' });
  await expect(switcher).toBeEnabled();
  await switcher.click();
  await expect(page.getByRole('option', { name: 'Acme Robotics' })).toBeVisible();
  await page.getByRole('option', { name: 'Acme Robotics' }).click();
  await expect(switcher).toHaveValue('Acme Robotics');

  await page.screenshot({ path: testInfo.outputPath('dashboard-with-client.png'), fullPage: true });
});
