// The console loads through the browser host and shows the empty dashboard without errors.
import { expect, test, type ConsoleMessage } from '@playwright/test';

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
