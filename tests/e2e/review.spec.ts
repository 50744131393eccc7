// Review before push through the screens, in the browser host against the sandbox. Turns review on
// for a client, acts on candidates and checks their planned effect in Review. Then it corrects an
// email, approves two, discards one with a reason, and checks Ashby's state and the audit log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../core/sandbox/index.js';
import { chooseClient, connectClient, importFile, linkRole, openScreen, sandboxState, shootBothSchemes } from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

const SAMPLES = path.resolve('resources/samples');
const TENANT = 'Acme Health';
const ROLE = 'Full-Stack Engineer';

let sandbox: Sandbox;
let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-review-'));
  host = await startHostProcess(dataDir);
});

test.afterAll(async () => {
  await host?.stop();
  // The journey closes the sandbox itself to take Ashby away; closing twice is harmless.
  await sandbox?.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function actOn(page: Page, name: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `Pipeline actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
  await expect(page.getByTestId('pipeline-message')).toBeVisible();
}

function reviewItem(page: Page, name: string) {
  return page.getByTestId('review-item').filter({ hasText: name });
}

async function candidateNames(): Promise<string[]> {
  const state = await sandboxState(sandbox.url, TENANT);
  return state.candidates.map((candidate) => String(candidate['name']));
}

test('review before push, approve and discard', async ({ page }) => {
  test.setTimeout(180_000);
  const apiKey = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
  await page.goto(host.url);
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'true');
  await connectClient(page, { name: TENANT, apiKey, baseUrl: sandbox.url, source: 'Jack & Jill', archiveReason: 'Not a fit' });
  await chooseClient(page, TENANT);
  await importFile(page, path.join(SAMPLES, 'acme-health.csv'));
  await linkRole(page, ROLE);

  await openScreen(page, 'Client settings');
  await expect(page.getByTestId('client-settings')).toHaveAttribute('data-ready', 'true');
  // The switch follows the saved setting, so it turns on once the change is stored.
  const reviewSwitch = page.getByRole('switch', { name: 'Review before push' });
  await reviewSwitch.click();
  await expect(reviewSwitch).toBeChecked();

  await openScreen(page, 'Roles');
  const card = page.getByTestId('role-card').filter({ has: page.getByText(ROLE, { exact: true }) });
  await card.getByRole('button', { name: 'Open pipeline' }).click();
  await expect(page.getByTestId('pipeline')).toHaveAttribute('data-ready', 'true');
  await actOn(page, 'Grace Whitfield', 'Request intro');
  await actOn(page, 'Chloé Martin', 'Request intro');
  await actOn(page, 'Lucas Moreau', 'Complete intro');
  const before = await candidateNames();

  await openScreen(page, 'Review queue');
  const review = page.getByTestId('review');
  await expect(review).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('review-item')).toHaveCount(3);
  await expect(page.getByTestId('review-group')).toHaveAttribute('data-group', `${TENANT} · ${ROLE}`);
  for (const name of ['Grace Whitfield', 'Chloé Martin']) {
    await expect(reviewItem(page, name)).toHaveAttribute('data-wait-reason', 'review_before_push');
    await expect(reviewItem(page, name).getByTestId('planned-effect')).toHaveText(
      `create candidate ${name} at stage "Reached Out" on job "${ROLE}" with source Jack & Jill`,
    );
  }
  await expect(reviewItem(page, 'Lucas Moreau')).toHaveAttribute('data-effect-kind', 'link_existing');
  await expect(reviewItem(page, 'Lucas Moreau').getByTestId('planned-effect')).toContainText('link to existing candidate');
  await shootBothSchemes(page, '10-review');

  // An invalid email is rejected by the same rules as the import; a valid one is saved.
  await page.getByRole('button', { name: 'Edit Grace Whitfield' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('grace.whitfield@@example.com');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText('Cannot save');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('grace.w@example.com');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(reviewItem(page, 'Grace Whitfield')).toContainText('grace.w@example.com');

  await page.getByRole('checkbox', { name: 'Select Grace Whitfield' }).check();
  await page.getByRole('checkbox', { name: 'Select Lucas Moreau' }).check();
  await page.getByRole('button', { name: 'Approve selected' }).click();
  // Approving waits briefly for the engine, so the notice says what happened to each push.
  await expect(page.getByTestId('review-notice')).toHaveText('Approved 2 pushes; 2 sent to Ashby.');

  await page.getByRole('button', { name: 'Discard Chloé Martin' }).click();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('client already met her');
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByTestId('review-notice')).toHaveText('Discarded 1 push.');
  await expect(page.getByTestId('review-empty')).toBeVisible({ timeout: 30_000 });

  // Ashby: Grace created once with the corrected email, Lucas linked, Chloé never sent.
  await expect.poll(async () => (await candidateNames()).filter((name) => name === 'Grace Whitfield').length, { timeout: 30_000 }).toBe(1);
  const state = await sandboxState(sandbox.url, TENANT);
  const grace = state.candidates.find((candidate) => candidate['name'] === 'Grace Whitfield');
  expect(JSON.stringify(grace?.['emailAddresses'])).toContain('grace.w@example.com');
  const names = state.candidates.map((candidate) => String(candidate['name']));
  expect(names.filter((name) => name === 'Lucas Moreau')).toHaveLength(1);
  expect(names).not.toContain('Chloé Martin');
  expect(names.length).toBe(before.length + 1);
  const lucas = state.candidates.find((candidate) => candidate['name'] === 'Lucas Moreau');
  const job = state.jobs.find((entry) => entry['title'] === ROLE);
  const lucasApplications = state.applications.filter(
    (application) =>
      (application['candidate'] as { id: string }).id === lucas?.['id'] && (application['job'] as { id: string }).id === job?.['id'],
  );
  expect(lucasApplications).toHaveLength(1);

  // The audit log has every decision, filterable on the Activity screen.
  await openScreen(page, 'Activity');
  const activity = page.getByTestId('activity');
  await expect(activity).toHaveAttribute('data-ready', 'true');
  await page.getByRole('textbox', { name: 'Search' }).fill('client already met her');
  await expect(page.getByTestId('activity-row')).toHaveCount(1);
  await expect(page.getByTestId('activity-row')).toHaveAttribute('data-action', 'review_discarded');
  await page.getByRole('textbox', { name: 'Search' }).fill('');
  await expect(page.locator('[data-testid="activity-row"][data-action="review_approved"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="activity-row"][data-action="candidate_identity_edited"]')).toHaveCount(1);
  await shootBothSchemes(page, '11-activity');

  // Export of the current filter as a download, with personal data redacted.
  const redact = page.getByRole('switch', { name: 'Redact personal data' });
  await redact.check();
  await expect(redact).toBeChecked();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^activity-acme-health-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = path.join(dataDir, 'download.csv');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain('review_discarded');
  expect(text).not.toContain('Grace Whitfield');
  expect(text).not.toContain('Chloé Martin');

  // Retention: keep 30 days, then the purge preview shows nothing older to delete.
  const retention = page.getByTestId('retention');
  await retention.getByRole('checkbox', { name: 'Keep forever' }).uncheck();
  await retention.getByRole('textbox', { name: 'Days kept' }).fill('30');
  await retention.getByRole('button', { name: 'Save retention' }).click();
  await expect(retention).toHaveAttribute('data-retention-days', '30');
  await retention.getByRole('button', { name: 'Purge now…' }).click();
  await expect(page.getByTestId('purge-preview')).toContainText('0 entries written before');
  await shootBothSchemes(page, '11-activity-purge');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Ashby goes away: an approved push waits, the banner counts it and Review shows why.
  await openScreen(page, 'Roles');
  await card.getByRole('button', { name: 'Open pipeline' }).click();
  await expect(page.getByTestId('pipeline')).toHaveAttribute('data-ready', 'true');
  await actOn(page, 'Chloé Martin', 'Complete intro');
  await sandbox.close();
  await openScreen(page, 'Review queue');
  await expect(page.getByTestId('review-item')).toHaveCount(1);
  await page.getByRole('button', { name: 'Approve Chloé Martin' }).click();
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('offline-client')).toHaveAttribute('data-pending', '1');
  await expect(page.getByTestId('review-offline')).toBeVisible();
  await expect(reviewItem(page, 'Chloé Martin')).toHaveAttribute('data-wait-reason', 'offline');
  await shootBothSchemes(page, '10-review-offline');
});
