// Error journeys through the browser host: a wrong key, a key without candidatesWrite, and a key
// revoked in the middle of a bulk push (that client turns disconnected, another carries on).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PERMISSIONS, startSandbox, type Sandbox } from '../../core/sandbox/index.js';
import {
  chooseClient,
  connectClient,
  enterKey,
  importFile,
  linkRole,
  openScreen,
  sandboxPost,
  sandboxState,
  shootBothSchemes,
} from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

const SAMPLES = path.resolve('resources/samples');

let sandbox: Sandbox;
let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  // Each API call takes a little while, so a bulk push is still running when its key is revoked.
  sandbox = await startSandbox({ port: 0, seed: 'demo', latencyMs: 150 });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-errors-'));
  host = await startHostProcess(dataDir);
});

test.afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function keyOf(tenant: string): string {
  const found = sandbox.tenants.find((entry) => entry.name === tenant);
  if (!found) throw new Error(`The demo sandbox has no tenant "${tenant}".`);
  return found.apiKey;
}

test('wrong key is rejected with the fix', async ({ page }) => {
  await page.goto(host.url);
  await enterKey(page, { name: 'Northwind Robotics', apiKey: 'not-a-real-key', baseUrl: sandbox.url });

  const wizard = page.getByTestId('connect-wizard');
  await expect(wizard).toHaveAttribute('data-step', '1');
  const checklist = wizard.getByTestId('permission-checklist');
  await expect(checklist).toHaveAttribute('data-ok', 'false');
  await expect(checklist.getByRole('alert')).toHaveAttribute('data-problem', 'key_rejected');
  await expect(checklist).toContainText('Copy the key again from Ashby');
  await shootBothSchemes(page, '02-connect-error-wrong-key');

  await openScreen(page, 'Dashboard');
  await expect(page.getByTestId('start-demo')).toBeVisible();
});

test('key without candidatesWrite names what is missing', async ({ page }) => {
  const { apiKey } = await sandboxPost(sandbox.url, '/_sandbox/keys', { tenant: 'Acme Health' });
  expect(typeof apiKey).toBe('string');
  const withoutWrite = PERMISSIONS.filter((permission) => permission !== 'candidatesWrite');
  await sandboxPost(sandbox.url, '/_sandbox/keys/permissions', { apiKey, permissions: withoutWrite });

  await page.goto(host.url);
  await enterKey(page, { name: 'Acme Health', apiKey: String(apiKey), baseUrl: sandbox.url });

  const wizard = page.getByTestId('connect-wizard');
  await expect(wizard).toHaveAttribute('data-step', '1');
  const checklist = wizard.getByTestId('permission-checklist');
  await expect(checklist.getByRole('alert')).toHaveAttribute('data-problem', 'missing_permissions');
  await expect(checklist.getByRole('alert')).toContainText('Request intro needs candidatesWrite');
  await expect(checklist.getByRole('alert')).not.toContainText('request_intro');
  // The client does not exist yet, so the fix is in Ashby or in this wizard, not in client settings.
  await expect(checklist.getByTestId('permission-fix')).not.toContainText('client settings');
  const missing = checklist.locator('[data-permission="candidatesWrite"][data-granted="false"]');
  await expect(missing).toHaveCount(4);
  await expect(checklist.locator('[data-permission="candidatesRead"][data-granted="true"]').first()).toBeVisible();
  await shootBothSchemes(page, '02-connect-error-missing-permission');

  // Turning the events off right in the wizard lets the key through.
  const toggles = wizard.getByRole('group', { name: 'Events pushed to Ashby' });
  for (const label of ['Shortlist', 'Request intro', 'Complete intro', 'Archive', 'Hire']) {
    const toggle = toggles.getByRole('switch', { name: label });
    if (await toggle.isChecked()) await toggle.click({ force: true });
  }
  await wizard.getByRole('button', { name: 'Verify and save key' }).click();
  await expect(wizard).toHaveAttribute('data-step', '2');
});

test('revoked key pauses one client only', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(host.url);
  await connectClient(page, { name: 'Northwind Robotics', apiKey: keyOf('Northwind Robotics'), baseUrl: sandbox.url });
  await connectClient(page, { name: 'Globex Logistics', apiKey: keyOf('Globex Logistics'), baseUrl: sandbox.url });

  await chooseClient(page, 'Globex Logistics');
  await importFile(page, path.join(SAMPLES, 'globex-logistics.json'));
  await linkRole(page, 'Site Reliability Engineer');
  await chooseClient(page, 'Northwind Robotics');
  await importFile(page, path.join(SAMPLES, 'northwind-robotics.json'));
  await linkRole(page, 'Senior Backend Engineer');

  // Start Northwind's bulk push, and revoke its key as soon as the push is running. The push has
  // only 3 candidates, so slow creates keep it from finishing before the revocation.
  await sandboxPost(sandbox.url, '/_sandbox/faults', { tenant: 'Northwind Robotics', endpoint: 'candidate.create', kind: 'latency', ms: 1500 });
  const northwindRole = page.getByTestId('role-card').filter({ has: page.getByText('Senior Backend Engineer', { exact: true }) });
  await northwindRole.getByRole('button', { name: 'Push candidates to Ashby' }).click();
  await page.getByTestId('push-confirmation').getByRole('button', { name: /^Push \d+ candidates$/ }).click();
  await expect(northwindRole.getByTestId('task-progress')).toHaveAttribute('data-state', 'running');
  await sandboxPost(sandbox.url, '/_sandbox/keys/revoke', { apiKey: keyOf('Northwind Robotics') });

  // Globex's push goes on while Northwind is disconnected.
  await chooseClient(page, 'Globex Logistics');
  await openScreen(page, 'Roles');
  const globexRole = page.getByTestId('role-card').filter({ has: page.getByText('Site Reliability Engineer', { exact: true }) });
  await globexRole.getByRole('button', { name: 'Push candidates to Ashby' }).click();
  await page.getByTestId('push-confirmation').getByRole('button', { name: /^Push \d+ candidates$/ }).click();

  await openScreen(page, 'Dashboard');
  const northwindCard = page.getByRole('article', { name: 'Northwind Robotics' });
  await expect(northwindCard).toHaveAttribute('data-status', 'disconnected', { timeout: 30_000 });
  await expect(northwindCard.getByTestId('client-status-reason')).toContainText('key rejected');
  await expect(page.getByRole('article', { name: 'Globex Logistics' })).toHaveAttribute('data-status', 'connected');
  await expect(page.locator('.mantine-Notification-root').filter({ hasText: 'Northwind Robotics is disconnected' })).toHaveCount(1);

  await page.getByRole('combobox', { name: 'Client' }).click();
  await page.getByRole('option', { name: 'All clients' }).click();
  await openScreen(page, 'Tasks');
  const globexPush = page.locator('[data-testid="task-card"][data-kind="bulk_push"]').filter({ hasText: 'Globex Logistics' });
  await expect(globexPush).toHaveAttribute('data-state', /^completed/, { timeout: 60_000 });
  const northwindPush = page.locator('[data-testid="task-card"][data-kind="bulk_push"]').filter({ hasText: 'Northwind Robotics' });
  await expect(northwindPush).not.toHaveAttribute('data-state', /^completed$/);
  await expect(northwindPush.getByTestId('task-waiting-for-client')).toContainText('Northwind Robotics is disconnected');
  if (Number(await globexPush.getByTestId('task-progress').getAttribute('data-percent')) === 100) {
    const failures = globexPush.getByRole('button', { name: /^Show \d+ failures?$/ });
    if ((await failures.count()) > 0) {
      await failures.click();
      await expect(globexPush.getByTestId('task-failures')).toBeVisible();
    }
  }
  await shootBothSchemes(page, '06-tasks-with-disconnected-client');
  await openScreen(page, 'Dashboard');
  await shootBothSchemes(page, '01-dashboard-disconnected-client');

  const globex = await sandboxState(sandbox.url, 'Globex Logistics');
  expect(globex.applications.length).toBeGreaterThan(0);

  // A new key from Ashby reconnects Northwind, and its push resumes where it stopped.
  const { apiKey: newKey } = await sandboxPost(sandbox.url, '/_sandbox/keys', { tenant: 'Northwind Robotics' });
  await page.getByRole('article', { name: 'Northwind Robotics' }).getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('client-settings');
  await expect(settings).toHaveAttribute('data-status', 'disconnected');
  await page.getByLabel('Replace the API key').fill(String(newKey));
  await page.getByRole('button', { name: 'Replace key' }).click();
  await expect(settings).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await page.getByRole('combobox', { name: 'Client' }).click();
  await page.getByRole('option', { name: 'All clients' }).click();
  await openScreen(page, 'Tasks');
  await expect(northwindPush).toHaveAttribute('data-state', /^completed/, { timeout: 60_000 });
  const northwind = await sandboxState(sandbox.url, 'Northwind Robotics');
  expect(northwind.candidates.filter((candidate) => candidate['name'] === 'Jane Roe')).toHaveLength(1);
});
