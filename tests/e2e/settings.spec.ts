// Client settings through the browser host: a warning while the Archive event has no archive
// reason, a short "Saved" note after each change, and retrying the archive push that stopped for
// want of a reason.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../core/sandbox/index.js';
import { chooseClient, connectClient, importFile, linkRole, openScreen, pickOption } from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

const SAMPLES = path.resolve('resources/samples');
const ROLE = 'Senior Backend Engineer';

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

test('retry an archive that needs attention', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await chooseClient(page, 'Northwind Robotics');
  await importFile(page, path.join(SAMPLES, 'northwind-robotics.json'));
  await linkRole(page, ROLE);

  // The first test left review before push on, Archive off and no archive reason.
  await openScreen(page, 'Client settings');
  const settings = page.getByTestId('client-settings');
  await settings.getByRole('switch', { name: 'Archive' }).click({ force: true });
  await expect(settings.getByTestId('archive-reason-warning')).toBeVisible();

  // A role with no Ashby job offers no push, and says where to link it.
  await openScreen(page, 'Roles');
  const unlinked = page.getByTestId('role-card').filter({ has: page.getByText('Product Designer', { exact: true }) });
  await unlinked.getByRole('button', { name: 'Open pipeline' }).click();
  const push = page.getByRole('button', { name: /^Push .+ to Ashby$/ }).first();
  await expect(push).toBeDisabled();
  await expect(push).toHaveAttribute('title', 'Link this role to an Ashby job on the Roles screen first');

  // Archive a candidate who already has an application on the job.
  await openScreen(page, 'Roles');
  const card = page.getByTestId('role-card').filter({ has: page.getByText(ROLE, { exact: true }) });
  await card.getByRole('button', { name: 'Open pipeline' }).click();
  await page.getByRole('textbox', { name: 'In Ashby' }).or(page.getByRole('combobox', { name: 'In Ashby' })).first().click();
  await page.getByRole('option', { name: 'Linked to a candidate in Ashby' }).click();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid="candidate-row"]:not([data-ashby-status="linked"])')).toHaveCount(0);
  const row = page.locator('[data-testid="candidate-row"]:not([data-state="archived"])').first();
  const name = String(await row.getAttribute('data-candidate-name'));
  await page.getByRole('button', { name: `Pipeline actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Archive' }).click();
  await expect(page.getByTestId('pipeline-message')).toBeVisible();

  await openScreen(page, 'Review queue');
  const item = page.getByTestId('review-item').filter({ hasText: name });
  await item.getByRole('button', { name: `Approve ${name}` }).click();
  const notice = page.getByTestId('review-notice');
  await expect(notice).toContainText('Approved 1 push; it needs attention: choose an archive reason');
  await expect(item).toHaveAttribute('data-wait-reason', 'needs_attention');

  // The dashboard's count opens Review for the client.
  await openScreen(page, 'Dashboard');
  await page.getByTestId('client-card').filter({ hasText: 'Northwind Robotics' }).getByRole('button', { name: /^Need attention: 1/ }).click();
  await expect(page.getByTestId('review')).toHaveAttribute('data-ready', 'true');

  await item.getByRole('button', { name: `Retry ${name}` }).click();
  await expect(notice).toContainText('Retried 1 push; it needs attention');

  await openScreen(page, 'Client settings');
  await pickOption(page, 'Archive reason', 'Not a fit');
  await openScreen(page, 'Review queue');
  await item.getByRole('button', { name: `Retry ${name}` }).click();
  await expect(notice).toHaveText('Retried 1 push; it was sent to Ashby.');
});
