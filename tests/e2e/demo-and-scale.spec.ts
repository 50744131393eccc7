// First run with "Explore with demo data" (the sandbox inside the host, no keychain needed), the
// import screen's sample shortcut, a role of 20,000 candidates in the virtualised pipeline, and
// the startup error screen for a damaged database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { systemClock } from '../../core/clock.js';
import { openDatabase } from '../../core/store/db.js';
import { insertCandidate } from '../../core/store/repo/candidates.js';
import { createClient, getClientByName } from '../../core/store/repo/clients.js';
import { upsertRole } from '../../core/store/repo/roles.js';
import { PIPELINE_STATES } from '../../shared/domain.js';
import { chooseClient, openScreen, SCREENS_DIR, shootBothSchemes } from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

const LARGE_ROLE_SIZE = 20_000;

// The tests share one host: the large role is added to a demo client.
test.describe.configure({ mode: 'serial' });

let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-demo-'));
  host = await startHostProcess(dataDir);
});

test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('demo data connects three clients', async ({ page }) => {
  await page.goto(host.url);
  await page.getByTestId('start-demo').click();

  for (const name of ['Northwind Robotics', 'Acme Health', 'Globex Logistics']) {
    await expect(page.getByRole('article', { name })).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  }
  await expect(page.getByRole('article', { name: 'Acme Health' })).toContainText('Sandbox');
  await shootBothSchemes(page, '01-dashboard-demo');

  // Sample exports were imported: the roles are there, and the import screen offers the sample.
  await chooseClient(page, 'Acme Health');
  await openScreen(page, 'Roles');
  await expect(page.getByTestId('role-card')).toHaveCount(2);
  await openScreen(page, 'Import');
  await page.getByRole('button', { name: 'Use the sample export' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId('rejected-rows')).toBeVisible();
  expect(Number(await preview.getAttribute('data-rejected'))).toBeGreaterThan(0);
  await shootBothSchemes(page, '07-import-sample');

  await openScreen(page, 'Client settings');
  await expect(page.getByTestId('client-settings')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('combobox', { name: 'Archive reason' })).toHaveValue('Not a fit');
  await expect(page.getByRole('combobox', { name: 'Source' })).toHaveValue('Jack & Jill');
});

test('pipeline of 20,000 candidates stays paged', async ({ page }) => {
  // The rows are written straight into the host's database, as the CLI would, to keep the test short.
  const db = openDatabase({ file: path.join(dataDir, 'console.sqlite') });
  try {
    const client = getClientByName(db, 'Globex Logistics');
    expect(client).not.toBeNull();
    db.transaction(() => {
      const role = upsertRole(db, systemClock, { clientId: client!.id, externalId: 'large-role', title: 'Large Role' });
      for (let index = 0; index < LARGE_ROLE_SIZE; index++) {
        const number = String(index).padStart(5, '0');
        insertCandidate(db, systemClock, {
          clientId: client!.id,
          roleId: role.id,
          externalId: `large-${number}`,
          name: `Candidate ${number}`,
          email: `candidate.${number}@example.com`,
          state: PIPELINE_STATES[index % PIPELINE_STATES.length]!,
        });
      }
    })();
  } finally {
    db.close();
  }

  await page.goto(host.url);
  await chooseClient(page, 'Globex Logistics');
  await openScreen(page, 'Pipeline');
  await page.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Large Role' }).click();
  const pipeline = page.getByTestId('pipeline');
  await expect(pipeline).toHaveAttribute('data-ready', 'true');
  await expect(pipeline).toHaveAttribute('data-total', String(LARGE_ROLE_SIZE));
  await expect(page.getByTestId('candidate-row').first()).toHaveAttribute('data-candidate-name', 'Candidate 00000');

  // Only the rows in view are in the page, however far it scrolls.
  const rendered = await page.locator('[data-testid^="candidate-row"]').count();
  expect(rendered).toBeLessThan(80);
  const scroller = page.getByTestId('pipeline-scroll');
  const started = Date.now();
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(page.locator('[data-candidate-name="Candidate 19999"]')).toBeVisible();
  const scrollMs = Date.now() - started;
  expect(scrollMs).toBeLessThan(5_000);
  expect(await page.locator('[data-testid^="candidate-row"]').count()).toBeLessThan(80);
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
  await expect(page.locator('[data-candidate-name="Candidate 10000"]')).toBeAttached();
  await shootBothSchemes(page, '05-pipeline-20000');

  // Search runs in the core, on all 20,000 rows.
  await page.getByRole('textbox', { name: 'Search' }).fill('candidate.12345@');
  await expect(pipeline).toHaveAttribute('data-total', '1');
  await expect(page.getByTestId('candidate-row')).toHaveAttribute('data-candidate-name', 'Candidate 12345');
});

test('damaged database shows startup error', async ({ page }) => {
  const brokenDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-damaged-'));
  writeFileSync(path.join(brokenDir, 'console.sqlite'), 'this is not a SQLite database'.repeat(200));
  const broken = await startHostProcess(brokenDir);
  try {
    await page.goto(broken.url);
    const screen = page.getByTestId('startup-error');
    await expect(screen).toBeVisible();
    await expect(screen.getByRole('alert')).toHaveAttribute('data-error-code', 'store_unavailable');
    await page.screenshot({ path: path.join(SCREENS_DIR, '08-startup-error-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => localStorage.setItem('mantine-color-scheme-value', 'dark'));
    await page.reload();
    await expect(page.getByTestId('startup-error')).toBeVisible();
    await page.screenshot({ path: path.join(SCREENS_DIR, '08-startup-error-dark.png'), fullPage: true });
  } finally {
    await broken.stop();
    rmSync(brokenDir, { recursive: true, force: true });
  }
});

test('unreachable keychain shows startup error', async ({ page }) => {
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-no-keychain-'));
  const db = openDatabase({ file: path.join(keyDir, 'console.sqlite') });
  try {
    createClient(db, systemClock, { name: 'Real Client', baseUrl: 'https://api.ashbyhq.com' });
  } finally {
    db.close();
  }
  // No session bus at this address, so keytar cannot reach any Secret Service.
  const noKeychain = await startHostProcess(keyDir, {
    ASHBY_SYNC_SECRET_STORE: 'keychain',
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(keyDir, 'no-bus')}`,
  });
  try {
    await page.goto(noKeychain.url);
    const screen = page.getByTestId('startup-error');
    await expect(screen).toBeVisible();
    await expect(screen.getByRole('alert')).toHaveAttribute('data-error-code', 'secret_store_unavailable');
    await page.screenshot({ path: path.join(SCREENS_DIR, '08-startup-error-no-keychain-light.png'), fullPage: true });
  } finally {
    await noKeychain.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
});

test('demo starts without a keychain', async ({ page }) => {
  const demoDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-demo-no-keychain-'));
  // The OS keychain is selected but unreachable: sandbox keys never go there.
  const noKeychain = await startHostProcess(demoDir, {
    ASHBY_SYNC_SECRET_STORE: 'keychain',
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(demoDir, 'no-bus')}`,
  });
  try {
    await page.goto(noKeychain.url);
    await expect(page.getByTestId('secret-store-warning')).toHaveCount(0);
    await page.getByTestId('start-demo').click();
    for (const name of ['Northwind Robotics', 'Acme Health', 'Globex Logistics']) {
      await expect(page.getByRole('article', { name })).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
    }
  } finally {
    await noKeychain.stop();
    rmSync(demoDir, { recursive: true, force: true });
  }
});
