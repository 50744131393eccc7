// The Activity screen over a log of several thousand entries: one page at a time, keyset paging
// both ways, filters by outcome, date range and free text, and a candidate filter from a row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { systemClock } from '../../core/clock.js';
import { closeDatabase, openDatabase } from '../../core/store/db.js';
import { insertCandidate } from '../../core/store/repo/candidates.js';
import { createClient } from '../../core/store/repo/clients.js';
import { upsertRole } from '../../core/store/repo/roles.js';
import { chooseClient, openScreen, pickOption } from './console-helpers.js';
import { startHostProcess, type HostProcess } from './host-process.js';

const ENTRIES = 3000;
const FAILED_EVERY = 10;
const DAY_MS = 86_400_000;

let host: HostProcess;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-e2e-activity-'));
  // The log is written before the host opens the folder, as an earlier session would have left it.
  const db = openDatabase({ file: path.join(dataDir, 'console.sqlite') });
  const client = createClient(db, systemClock, { name: 'Globex Logistics', baseUrl: 'http://127.0.0.1:9' });
  const role = upsertRole(db, systemClock, { clientId: client.id, externalId: 'wom', title: 'Warehouse Operations Manager' });
  const candidate = insertCandidate(db, systemClock, {
    clientId: client.id,
    roleId: role.id,
    externalId: 'c-1',
    name: 'Søren Kierkegaard',
    email: 'soren@example.com',
    emailKey: 'soren@example.com',
    state: 'shortlisted',
  });
  const insert = db.prepare(
    `INSERT INTO audit_log (at, client_id, role_id, candidate_id, event, action, outcome, message, actor)
     VALUES (?, ?, ?, ?, 'request_intro', ?, ?, ?, 'engine')`,
  );
  const start = Date.parse('2026-06-01T12:00:00Z');
  db.transaction(() => {
    for (let index = 0; index < ENTRIES; index += 1) {
      const failed = index % FAILED_EVERY === 0;
      const at = new Date(start + Math.floor(index / 100) * DAY_MS + (index % 100) * 1000).toISOString();
      const who = index % 500 === 0 ? candidate.id : null;
      insert.run(at, client.id, role.id, who, failed ? 'ashby_error' : 'candidate_created', failed ? 'failed' : 'ok', `entry number ${index}`);
    }
  })();
  closeDatabase(db);
  host = await startHostProcess(dataDir);
});

test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('activity pages and filters a long log', async ({ page }) => {
  await page.goto(host.url);
  await chooseClient(page, 'Globex Logistics');
  await openScreen(page, 'Activity');
  const activity = page.getByTestId('activity');
  await expect(activity).toHaveAttribute('data-ready', 'true');
  await expect(activity).toHaveAttribute('data-rows', '50');
  await expect(page.getByTestId('activity-count')).toHaveText(`${ENTRIES} entries match · page 1`);
  // Newest first: the last entry written opens the first page.
  await expect(page.getByTestId('activity-row').first()).toContainText(`entry number ${ENTRIES - 1}`);

  await page.getByRole('button', { name: 'Older' }).click();
  await expect(page.getByTestId('activity-count')).toContainText('page 2');
  await expect(page.getByTestId('activity-row').first()).toContainText(`entry number ${ENTRIES - 51}`);
  await page.getByRole('button', { name: 'Newer' }).click();
  await expect(page.getByTestId('activity-row').first()).toContainText(`entry number ${ENTRIES - 1}`);

  // Actions and outcomes show display names, with the stored value as the tooltip.
  const newest = page.getByTestId('activity-row').first();
  await expect(newest.getByTitle('candidate_created')).toHaveText('Candidate created');
  await expect(newest.getByTitle('ok', { exact: true })).toHaveText('Succeeded');

  // The Outcome filter offers only outcomes the log contains.
  await page.getByRole('textbox', { name: 'Outcome' }).or(page.getByRole('combobox', { name: 'Outcome' })).first().click();
  await expect(page.getByRole('option', { name: 'Failed' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Skipped' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await pickOption(page, 'Outcome', 'Failed');
  await expect(page.getByTestId('activity-count')).toHaveText(`${ENTRIES / FAILED_EVERY} entries match · page 1`);
  await expect(page.locator('[data-testid="activity-row"]:not([data-outcome="failed"])')).toHaveCount(0);

  // Day 3 contains entries 200 to 299, and every tenth of them failed.
  await page.getByLabel('From', { exact: true }).fill('2026-06-03');
  await page.getByLabel('To', { exact: true }).fill('2026-06-03');
  await expect(page.getByTestId('activity-count')).toHaveText('10 entries match · page 1');

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('textbox', { name: 'Search' }).fill('entry number 2999');
  await expect(page.getByTestId('activity-row')).toHaveCount(1);

  await page.getByRole('textbox', { name: 'Search' }).fill('entry number 2500');
  await expect(page.getByTestId('activity-row')).toHaveCount(1);
  await page.getByTestId('activity-row').getByRole('button', { name: 'Søren Kierkegaard' }).click();
  await page.getByRole('textbox', { name: 'Search' }).fill('');
  await expect(page.getByTestId('candidate-filter')).toContainText('Søren Kierkegaard');
  await expect(page.getByTestId('activity-count')).toHaveText(`${ENTRIES / 500} entries match · page 1`);
});
