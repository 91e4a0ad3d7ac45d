import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

const TINY =
  '#v=1&dataset=synthetic&denseEpochs=1&targetSparsity=0.75&cycles=2&batchSize=64&backend=wasm';

test('each chart reads as a table and saves as SVG and PNG; dark theme; no overflow on a tablet', async ({
  page,
}) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`./${TINY}`);
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
  // A tablet's width: nothing sticks out sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);

  const card = page.locator('figure[data-chart="accuracy-sparsity"]');
  await card.getByRole('button', { name: 'Table' }).click();
  const table = card.getByRole('table', { name: 'Test accuracy vs sparsity' });
  await expect(table.getByRole('row')).toHaveCount(4); // header, dense, 2 cycles
  await expect(table.getByRole('row').nth(3).getByRole('cell').first()).toHaveText('75');
  await card.getByRole('button', { name: 'Table' }).click();

  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(svg.suggestedFilename()).toBe('pruning-lab-test-accuracy-vs-sparsity.svg');
  const text = await readFile((await svg.path())!, 'utf8');
  expect(text).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text).toContain('Test accuracy vs sparsity');
  expect(text).toContain('>after retrain</text>'); // the legend, redrawn in the SVG
  expect(Number(/^<svg[^>]* width="(\d+)"/.exec(text)?.[1])).toBeGreaterThan(250); // the chart, not an icon
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'PNG' }).click(),
  ]);
  const bytes = await readFile((await png.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]); // PNG signature
  expect(bytes.readUInt32BE(16)).toBeGreaterThan(500); // width: twice the chart's

  // The pruned model after cycle 2, in TF.js format: model JSON + weights.
  const downloads: import('@playwright/test').Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page
    .getByRole('button', { name: 'Download the model after cycle 2 in TF.js format' })
    .click();
  await expect.poll(() => downloads.length).toBe(2);
  const names = downloads.map((d) => d.suggestedFilename()).sort();
  expect(names).toEqual([
    'pruning-lab-lenet300-cycle-2.json',
    'pruning-lab-lenet300-cycle-2.weights.bin',
  ]);
  const modelJson = JSON.parse(
    await readFile(
      (await downloads.find((d) => d.suggestedFilename().endsWith('.json'))!.path())!,
      'utf8',
    ),
  );
  expect(modelJson.weightsManifest[0].paths).toEqual(['pruning-lab-lenet300-cycle-2.weights.bin']);
  const weights = await readFile(
    (await downloads.find((d) => d.suggestedFilename().endsWith('.bin'))!.path())!,
  );
  expect(weights.length).toBe(4 * 266610);

  await page.getByLabel('Theme').selectOption('dark');
  const background = await page.evaluate(
    () => getComputedStyle(document.documentElement).backgroundColor,
  );
  expect(background).toBe('rgb(15, 18, 22)');
  await page.reload();
  await expect(page.getByLabel('Theme')).toHaveValue('dark'); // remembered
});

test('the main loop runs from the keyboard', async ({ page }) => {
  await page.goto(`./${TINY}`);
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  await page.locator('h1').click(); // focus on the page, not a control
  await page.keyboard.press('Space');
  await expect(page.getByTestId('stage')).toHaveText('Dense network trained', {
    timeout: 60_000,
  });
  await page.keyboard.press('r');
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
});
