// The journey of a new agency admin, through the browser host against the real engine and the
// sandbox: connect a client, import its export, link a role, watch existing candidates turn
// purple, bulk push with live progress, check the sandbox, then a manual push for a second client.
// Screenshots of every screen it passes are saved in both colour schemes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../core/sandbox/index.js';
import {
  chooseClient,
  connectClient,
  importFile,
  linkRole,
  openScreen,
  sandboxState,
  shootBothSchemes,
  unlabelledControls,
} from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

const SAMPLES = path.resolve('resources/samples');

let sandbox: Sandbox;
let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-journey-'));
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

test('new admin connects, links and pushes', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('start-demo')).toBeVisible();
  await shootBothSchemes(page, '00-first-run');

  // The first-run actions are reachable from the keyboard alone.
  await page.getByTestId('start-demo').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Connect a client' }).last()).toBeFocused();

  await connectClient(page, {
    name: 'Northwind Robotics',
    apiKey: keyOf('Northwind Robotics'),
    baseUrl: sandbox.url,
    source: 'Jack & Jill',
    archiveReason: 'Not a fit',
    screenshots: true,
  });
  await chooseClient(page, 'Northwind Robotics');
  await importFile(page, path.join(SAMPLES, 'northwind-robotics.json'), true);

  // Before linking nobody's presence in Ashby is known.
  await openScreen(page, 'Pipeline');
  await expect(page.getByTestId('pipeline')).toHaveAttribute('data-ready', 'true');

  await linkRole(page, 'Senior Backend Engineer');
  const card = page.getByTestId('role-card').filter({ has: page.getByText('Senior Backend Engineer', { exact: true }) });
  await card.getByRole('button', { name: 'Stage mapping' }).click();
  await expect(card.getByTestId('stage-mapping')).toBeVisible();
  await shootBothSchemes(page, '04-roles');
  expect(await unlabelledControls(page)).toEqual([]);

  // Priya Natarajan already has an application on the job in Ashby: link resolution links her.
  await card.getByRole('button', { name: 'Open pipeline' }).click();
  const pipeline = page.getByTestId('pipeline');
  await expect(pipeline).toHaveAttribute('data-ready', 'true');
  const row = (name: string) => page.locator(`[data-testid="candidate-row"][data-candidate-name="${name}"]`);
  await expect(row('Priya Natarajan')).toHaveAttribute('data-ashby-status', 'linked');
  // Jane Roe exists in Ashby with no application yet: found by email despite the spelling, so purple.
  await expect(row('Jane Roe').getByTestId('ashby-icon')).toHaveAttribute('data-icon-color', 'violet');
  await expect(row('Tobias Keller').getByTestId('ashby-icon')).toHaveAttribute('data-icon-color', 'gray');
  const priyaIcon = row('Priya Natarajan').getByTestId('ashby-icon');
  await priyaIcon.hover();
  await expect(page.getByRole('tooltip')).toContainText('Linked to a candidate in Ashby');
  await shootBothSchemes(page, '05-pipeline');
  expect(await unlabelledControls(page)).toEqual([]);

  await page.getByRole('button', { name: 'Sync history of Jane Roe' }).click();
  await expect(page.getByTestId('candidate-history')).toBeVisible();
  await expect(page.getByRole('dialog')).toBeInViewport({ ratio: 1 });
  await shootBothSchemes(page, '05-pipeline-history');
  await page.keyboard.press('Escape');

  // Bulk push with the confirmation, then live progress to completion.
  await openScreen(page, 'Roles');
  await card.getByRole('button', { name: 'Push candidates to Ashby' }).click();
  const confirmation = page.getByTestId('push-confirmation');
  await expect(confirmation).toBeVisible();
  const total = Number(await confirmation.getAttribute('data-total'));
  expect(total).toBeGreaterThan(0);
  await expect(confirmation).toContainText('Not pushed:');
  // Reasons use the events' display names and count candidates in words.
  await expect(confirmation).toContainText(/Shortlist is turned off for Northwind Robotics: \d+ candidates?/);
  await shootBothSchemes(page, '04-roles-push-confirmation');
  await confirmation.getByRole('button', { name: `Push ${total} candidates` }).click();

  await openScreen(page, 'Tasks');
  const push = page.locator('[data-testid="task-card"][data-kind="bulk_push"]').first();
  await expect(push).toHaveAttribute('data-state', /^completed/, { timeout: 60_000 });
  await expect(push.getByTestId('task-progress')).toHaveAttribute('data-percent', '100');
  await shootBothSchemes(page, '06-tasks');
  expect(await unlabelledControls(page)).toEqual([]);

  // Jane Roe and Omar Haddad existed in Ashby spelled differently: linked, never created twice.
  const state = await sandboxState(sandbox.url, 'Northwind Robotics');
  const names = state.candidates.map((candidate) => candidate['name']);
  expect(names.filter((name) => name === 'Jane Roe')).toHaveLength(1);
  expect(names.filter((name) => name === 'Omar Haddad')).toHaveLength(1);
  await openScreen(page, 'Roles');
  await card.getByRole('button', { name: 'Open pipeline' }).click();
  await expect(page.getByTestId('pipeline')).toHaveAttribute('data-ready', 'true');
  for (const name of ['Jane Roe', 'Omar Haddad', 'Priya Natarajan']) {
    await expect(row(name)).toHaveAttribute('data-ashby-status', 'linked');
  }
  const jobId = state.jobs.find((job) => job['title'] === 'Senior Backend Engineer')?.['id'];
  const onJob = state.applications.filter((application) => (application['job'] as { id?: unknown } | undefined)?.id === jobId);
  expect(onJob.length).toBeGreaterThanOrEqual(total);

  await openScreen(page, 'Dashboard');
  await expect(page.getByRole('article', { name: 'Northwind Robotics' })).toContainText('Last successful push');
  await shootBothSchemes(page, '01-dashboard');
  expect(await unlabelledControls(page)).toEqual([]);

  // A second client: switching asks for nothing again; a manual push of one candidate.
  await connectClient(page, { name: 'Acme Health', apiKey: keyOf('Acme Health'), baseUrl: sandbox.url });
  await chooseClient(page, 'Acme Health');
  await importFile(page, path.join(SAMPLES, 'acme-health.csv'));
  await linkRole(page, 'Full-Stack Engineer');
  const acmeCard = page.getByTestId('role-card').filter({ has: page.getByText('Full-Stack Engineer', { exact: true }) });
  await acmeCard.getByRole('button', { name: 'Open pipeline' }).click();
  await expect(page.getByTestId('pipeline')).toHaveAttribute('data-ready', 'true');
  const unlinked = page.locator('[data-testid="candidate-row"][data-ashby-status="not_in_ashby"]').first();
  const chosen = await unlinked.getAttribute('data-candidate-name');
  expect(chosen).not.toBeNull();
  await unlinked.getByRole('button', { name: `Push ${chosen} to Ashby` }).click();
  await expect(page.getByTestId('pipeline-message')).toContainText(`Queued a manual push of ${chosen}`);
  await expect(page.locator(`[data-testid="candidate-row"][data-candidate-name="${chosen}"]`)).toHaveAttribute('data-ashby-status', 'linked', { timeout: 30_000 });
  const acme = await sandboxState(sandbox.url, 'Acme Health');
  expect(acme.candidates.map((candidate) => candidate['name'])).toContain(chosen);

  await chooseClient(page, 'Northwind Robotics');
  await openScreen(page, 'Client settings');
  await expect(page.getByTestId('client-settings')).toHaveAttribute('data-ready', 'true');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('permission-checklist')).toHaveAttribute('data-ok', 'true');
  await shootBothSchemes(page, '03-settings');
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByRole('dialog')).toContainText('Nothing in Ashby is deleted');
  await shootBothSchemes(page, '03-settings-disconnect');
  await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByTestId('client-settings')).toHaveAttribute('data-status', 'disconnected');
  await page.getByRole('button', { name: 'Reconnect' }).click();
  await expect(page.getByTestId('client-settings')).toHaveAttribute('data-status', 'connected');
});
