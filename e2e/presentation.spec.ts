/**
 * Presentation mode and the chart tools, through the real worker: export from the table view,
 * the shortcuts after a click, an enlarged chart, folded settings, the layout from a projector's
 * 1920 px down to a tablet's 768 px, the full-screen QR code and the backend's plain line.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { chart, openApp } from './helpers';

const QUICK = '#v=1&dataset=synthetic&denseEpochs=1&cycles=2&targetSparsity=0.75&backend=wasm';

async function runQuick(page: Page, hash = QUICK) {
  await page.goto(`./${hash}`);
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
}

test('SVG and PNG export the chart while its table is shown', async ({ page }) => {
  await runQuick(page);
  const card = chart(page, 'accuracy-sparsity');
  await card.getByRole('button', { name: 'Table' }).click();
  await expect(card.getByRole('table', { name: 'Test accuracy vs sparsity' })).toBeVisible();
  // Before: the chart was unmounted behind the table and both buttons did nothing.
  const [svg] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    card.getByRole('button', { name: 'SVG' }).click(),
  ]);
  const text = await readFile((await svg.path())!, 'utf8');
  expect(text).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text).toContain('>after retrain</text>');
  expect(Number(/^<svg[^>]* width="(\d+)"/.exec(text)?.[1])).toBeGreaterThan(250);
  const [png] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    card.getByRole('button', { name: 'PNG' }).click(),
  ]);
  const bytes = await readFile((await png.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  // The hidden chart is out of sight and out of the accessibility tree; the table stays.
  await expect(card.locator('.chart-body')).toBeHidden();
  await expect(card.getByRole('table')).toBeVisible();
});

test('R and P work after clicking a button; Space presses the focused button', async ({ page }) => {
  await page.goto('./#v=1&dataset=synthetic&denseEpochs=20&cycles=1&backend=wasm');
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  // In a text field every key is the field's.
  await page.getByLabel('Seed').focus();
  await page.keyboard.press('?');
  await page.keyboard.press('r');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await expect(page.getByTestId('stage')).toHaveText('Not trained yet');
  await expect(page.getByLabel('Seed')).toHaveValue('42');
  const classroom = page.getByRole('button', { name: 'Classroom mode' });
  await classroom.click();
  await expect(classroom).toBeFocused();
  await expect(classroom).toHaveAttribute('aria-pressed', 'true');
  // Space belongs to the focused button: it toggles classroom mode, and steps nothing.
  await page.keyboard.press('Space');
  await expect(classroom).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('stage')).toHaveText('Not trained yet');
  // Letters belong to the shortcuts, even with a button focused (before: dead).
  await page.keyboard.press('r');
  await expect(page.locator('.progress-label')).toContainText('Training dense', {
    timeout: 30_000,
  });
  await page.keyboard.press('p');
  await expect(page.locator('.progress-label')).toContainText('Paused', { timeout: 30_000 });
  await page.keyboard.press('p');
  await expect(page.locator('.progress-label')).not.toContainText('Paused', { timeout: 30_000 });
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 180_000 });
});

test('a chart enlarges to the window and Escape shrinks it back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await runQuick(page);
  const card = chart(page, 'layer-sparsity');
  await card.getByRole('button', { name: 'Enlarge' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sparsity per layer, by cycle' });
  await expect(dialog).toBeVisible();
  const box = (await dialog.locator('svg.chart-surface').boundingBox())!;
  expect(box.width).toBeGreaterThan(1100);
  expect(box.height).toBeGreaterThan(550);
  // Its own tools: the export works from the enlarged view.
  const [svg] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    dialog.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(svg.suggestedFilename()).toBe('pruning-lab-sparsity-per-layer-by-cycle.svg');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(card.locator('svg.chart-surface')).toBeVisible();
  // Close does the same.
  await card.getByRole('button', { name: 'Enlarge' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('at 1920 px the page uses the width: big charts, the whole compression table', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await runQuick(page, `${QUICK}&classroom=1`);
  for (const id of ['accuracy-sparsity', 'layer-sparsity', 'training-curves', 'lr-schedule']) {
    const box = (await chart(page, id).boundingBox())!;
    expect(box.width, id).toBeGreaterThan(650);
    expect(box.height, id).toBeGreaterThan(380);
  }
  const right = await page.evaluate(
    () => document.querySelector('.main-column')!.getBoundingClientRect().right,
  );
  expect(right).toBeGreaterThan(1850);
  // The compression table fits: no column cut off behind a scroll bar.
  const report = page.locator('.table-scroll').first();
  await expect(report.getByRole('columnheader', { name: 'Norm drop' })).toBeVisible();
  expect(await report.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  // Every cycle is named on the layer chart's axis.
  const ticks = chart(page, 'layer-sparsity').locator('.plot-x-ticks text');
  await expect(ticks).toHaveText(['dense', 'cycle 1', 'cycle 2']);

  // Folded settings: one line that says them, and the charts take the width.
  const before = (await chart(page, 'accuracy-sparsity').boundingBox())!.width;
  await page.getByRole('button', { name: 'Hide settings' }).click();
  await expect(page.getByTestId('settings-summary')).toHaveText(
    'LeNet-300-100 · Synthetic · 75% in 2 cycles · SLR',
  );
  await expect(page.getByLabel('Data set', { exact: true })).toHaveCount(0);
  await expect
    .poll(async () => (await chart(page, 'accuracy-sparsity').boundingBox())!.width)
    .toBeGreaterThan(before + 100);
  await page.getByRole('button', { name: 'Show settings' }).click();
  await expect(page.getByLabel('Data set', { exact: true })).toBeVisible();
});

test('at 768 px the run buttons come before the settings, on screen and in the tab order', async ({
  page,
}) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await openApp(page);
  const run = (await page.getByRole('button', { name: 'Run all' }).boundingBox())!;
  const dataset = (await page.getByLabel('Data set', { exact: true }).boundingBox())!;
  expect(run.y).toBeLessThan(dataset.y);
  expect(run.y).toBeLessThan(1024); // on the first screen
  // Tab from the page's last header control: the run controls before any setting.
  await page.getByLabel('Theme').focus();
  const order: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        return e.getAttribute('name') ?? e.textContent?.trim() ?? '';
      }),
    );
  }
  const firstRun = order.findIndex((n) => /Train dense|Step cycle|Run all/.test(n));
  const firstSetting = order.indexOf('dataset');
  expect(firstRun).toBeGreaterThanOrEqual(0);
  expect(firstSetting === -1 || firstRun < firstSetting).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
});

test('the QR code fills the screen; the backend says one plain line', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page);
  const badge = page.getByTestId('backend');
  await expect(badge.locator('summary')).toHaveText(/^Training on (your|a software) (CPU|GPU)/);
  await expect(badge.getByText(/^Why: /)).toBeHidden();
  await badge.locator('summary').click();
  await expect(badge.getByText(/^Why: /)).toBeVisible();

  await page.getByRole('button', { name: 'Share settings…' }).click();
  const share = page.getByRole('dialog', { name: 'Share these settings' });
  await share.getByRole('button', { name: 'QR code full screen' }).click();
  const full = page.getByRole('dialog', { name: 'QR code of the link, full screen' });
  await expect(full).toBeVisible();
  const box = (await full.getByRole('img', { name: 'QR code of the link' }).boundingBox())!;
  expect(box.height).toBeGreaterThan(600);
  await page.keyboard.press('Escape');
  await expect(full).toBeHidden();
  await expect(share).toBeVisible();
});
