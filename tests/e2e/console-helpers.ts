// Steps shared by the e2e journeys: screenshots in both colour schemes, the connect wizard, the
// import screen, and reading the sandbox's admin routes. Every wait is on a readiness attribute
// or a visible outcome, never a fixed delay.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/** Screenshots of every screen, in both colour schemes, land here for people to look at. */
export const SCREENS_DIR = path.resolve('test-results/screens');

/** Saves `<name>-light.png` and `<name>-dark.png` of the current page. */
export async function shootBothSchemes(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const html = page.locator('html');
  const current = await html.getAttribute('data-mantine-color-scheme');
  const other = current === 'dark' ? 'light' : 'dark';
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}-${current}.png`), fullPage: true, animations: 'disabled' });
  // dispatchEvent reaches the header toggle even while a modal's overlay covers it.
  await page.getByRole('button', { name: `Switch to ${other} mode` }).dispatchEvent('click');
  await expect(html).toHaveAttribute('data-mantine-color-scheme', other);
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}-${other}.png`), fullPage: true, animations: 'disabled' });
  await page.getByRole('button', { name: `Switch to ${current} mode` }).dispatchEvent('click');
  await expect(html).toHaveAttribute('data-mantine-color-scheme', current ?? 'light');
}

export async function openScreen(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();
}

export async function chooseClient(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Client' }).click();
  await page.getByRole('option', { name, exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Client' })).toHaveValue(name);
}

export interface ConnectOptions {
  name: string;
  apiKey: string;
  baseUrl: string;
  /** Take screenshots of each wizard step. */
  screenshots?: boolean;
  source?: string;
  archiveReason?: string;
}

/** Opens the connect wizard and enters the name and key; stops after "Verify and save key". */
export async function enterKey(page: Page, options: ConnectOptions): Promise<void> {
  await openScreen(page, 'Connect a client');
  const wizard = page.getByTestId('connect-wizard');
  await expect(wizard).toHaveAttribute('data-step', '0');
  await wizard.getByRole('textbox', { name: 'Client name' }).fill(options.name);
  if (options.screenshots) await shootBothSchemes(page, '02-connect-1-name');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard).toHaveAttribute('data-step', '1');
  await wizard.getByLabel('Ashby API key').fill(options.apiKey);
  await wizard.getByRole('textbox', { name: 'Ashby API address' }).fill(options.baseUrl);
  await wizard.getByRole('button', { name: 'Verify and save key' }).click();
  await expect(wizard).toHaveAttribute('data-ready', 'true');
}

/** Runs the whole connect wizard and waits for "connected". */
export async function connectClient(page: Page, options: ConnectOptions): Promise<void> {
  await enterKey(page, options);
  const wizard = page.getByTestId('connect-wizard');
  await expect(wizard).toHaveAttribute('data-step', '2');
  await expect(wizard.getByTestId('permission-checklist')).toHaveAttribute('data-ok', 'true');
  if (options.screenshots) await shootBothSchemes(page, '02-connect-3-verification');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard).toHaveAttribute('data-step', '3');
  if (options.source) await pickOption(page, 'Source for applications the console creates', options.source);
  if (options.screenshots) await shootBothSchemes(page, '02-connect-4-source');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard).toHaveAttribute('data-step', '4');
  if (options.archiveReason) await pickOption(page, 'Archive reason', options.archiveReason);
  if (options.screenshots) await shootBothSchemes(page, '02-connect-5-archive-reason');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard).toHaveAttribute('data-step', '5');
  if (options.screenshots) await shootBothSchemes(page, '02-connect-6-events');
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard.getByTestId('connect-done')).toBeVisible();
  if (options.screenshots) await shootBothSchemes(page, '02-connect-7-done');
}

/** Picks `option` in the Mantine Select labelled `label`. */
export async function pickOption(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByRole('textbox', { name: label }).or(page.getByRole('combobox', { name: label })).first();
  await expect(select).toBeEnabled();
  await select.click();
  await page.getByRole('option', { name: option }).first().click();
  await expect(select).toHaveValue(new RegExp(escapeRegExp(option)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Imports a file through the import screen of the selected client. */
export async function importFile(page: Page, file: string, screenshots = false): Promise<void> {
  await openScreen(page, 'Import');
  const screen = page.getByTestId('import');
  await screen.getByRole('textbox', { name: 'Export file' }).fill(file);
  await screen.getByRole('button', { name: 'Preview' }).click();
  await expect(screen.getByTestId('import-preview')).toBeVisible();
  if (screenshots) await shootBothSchemes(page, '07-import-preview');
  await screen.getByRole('button', { name: /^Import \d+ rows$/ }).click();
  await expect(screen.getByTestId('import-result')).toBeVisible();
  if (screenshots) await shootBothSchemes(page, '07-import-result');
}

/** Links the role to the Ashby job of the same title and waits until link resolution finished. */
export async function linkRole(page: Page, roleTitle: string): Promise<void> {
  await openScreen(page, 'Roles');
  const card = page.getByTestId('role-card').filter({ has: page.getByText(roleTitle, { exact: true }) });
  await expect(page.getByTestId('roles')).toHaveAttribute('data-ready', 'true');
  await pickOption(page, `Ashby job for ${roleTitle}`, roleTitle);
  await card.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(card).toHaveAttribute('data-link-status', /^(linked|needs_attention)$/, { timeout: 30_000 });
}

export interface SandboxSnapshot {
  candidates: Array<Record<string, unknown>>;
  applications: Array<Record<string, unknown>>;
  jobs: Array<Record<string, unknown>>;
}

export async function sandboxState(sandboxUrl: string, tenant: string): Promise<SandboxSnapshot> {
  const response = await fetch(`${sandboxUrl}/_sandbox/state?tenant=${encodeURIComponent(tenant)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxSnapshot;
}

export async function sandboxPost(sandboxUrl: string, route: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandboxUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `POST ${route}`).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Returns the interactive elements on the page that have no accessible name: no label element,
 * no aria-label or aria-labelledby, and no text. Hidden elements are left out.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'button, a[href], input:not([type="hidden"]), select, textarea, [role="combobox"], [role="switch"], [tabindex="0"]';
    const missing: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      if (element.offsetParent === null && getComputedStyle(element).position !== 'fixed') continue;
      const labelled =
        (element as HTMLInputElement).labels?.length ||
        element.getAttribute('aria-label')?.trim() ||
        element.getAttribute('aria-labelledby') ||
        element.getAttribute('title')?.trim() ||
        element.textContent?.trim();
      if (!labelled) missing.push(element.outerHTML.slice(0, 160));
    }
    return missing;
  });
}
