import { expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { resultsSchema, type Results } from '../src/schema/results';

/** Opens the app and waits until the engine has chosen a backend. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
}

/** Sets number fields by label and selects by label. */
export async function configure(
  page: Page,
  settings: { selects?: Record<string, string>; numbers?: Record<string, string> },
): Promise<void> {
  for (const [label, value] of Object.entries(settings.selects ?? {})) {
    await page.getByLabel(label, { exact: true }).selectOption(value);
  }
  for (const [label, value] of Object.entries(settings.numbers ?? {})) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

/** Clicks Download results; returns the file, validated against the results schema. */
export async function downloadResults(page: Page): Promise<Results> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download results' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pruning-lab-.*-results\.json$/);
  return resultsSchema.parse(JSON.parse(await readFile((await download.path())!, 'utf8')));
}

export const chart = (page: Page, id: string) => page.locator(`figure[data-chart="${id}"]`);
