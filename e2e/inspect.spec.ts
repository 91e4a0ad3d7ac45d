import { expect, test, type Locator } from '@playwright/test';
import { chart, downloadResults } from './helpers';

/** The rows of a chart's table (after pressing its Table button), as text cells. */
async function tableRows(view: Locator): Promise<string[][]> {
  const table = view.locator('.chart-table table');
  await expect(table).toBeVisible();
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
}

test('a short run fills every view inside the network; the numbers agree with the results', async ({
  page,
}) => {
  await page.goto('./#v=1&dataset=synthetic&denseEpochs=1&cycles=2');
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  const panel = page.getByRole('region', { name: 'Inside the network' });
  await expect(panel).toContainText('Train the dense network to look inside it.');

  // Open every view before the run: they fill as the cycles end.
  const views = ['Weight magnitudes', 'Criterion preview', 'Masks', 'Layer sensitivity'];
  for (const name of views) {
    const region = panel.getByRole('region', { name });
    await region.getByRole('button', { name }).click();
    await expect(region.getByRole('button', { name })).toHaveAttribute('aria-expanded', 'true');
  }
  const weights = panel.getByRole('region', { name: 'Weight magnitudes' });
  const preview = panel.getByRole('region', { name: 'Criterion preview' });
  const masks = panel.getByRole('region', { name: 'Masks' });
  const sensitivity = panel.getByRole('region', { name: 'Layer sensitivity' });

  await page.getByRole('button', { name: 'Run all' }).click();
  // Live: the dense state shows while the cycles train.
  await expect(chart(page, 'weight-magnitudes').locator('g[data-layer]')).toHaveCount(3, {
    timeout: 120_000,
  });
  await expect(page.getByTestId('stage')).toHaveText('Done: 2 of 2 cycles', { timeout: 240_000 });
  await expect(page.getByTestId('inspect-state')).toHaveText('after cycle 2');
  const results = await downloadResults(page);

  // Weight magnitudes after cycle 2: three layers, the cut lines drawn; the table's alive row
  // is the results' per-layer alive count, and the bins add up to it.
  await expect(chart(page, 'weight-magnitudes')).toContainText('after cycle 2');
  await expect(
    chart(page, 'weight-magnitudes').locator('svg.chart-surface line[stroke="#D55E00"]'),
  ).not.toHaveCount(0);
  // Each drawing lies inside its card (they once overflowed onto the next view).
  await expect(chart(page, 'masks').locator('image')).toHaveCount(4);
  for (const id of ['weight-magnitudes', 'masks']) {
    const card = (await chart(page, id).boundingBox())!;
    const drawing = (await chart(page, id).locator('svg.chart-surface').boundingBox())!;
    expect(drawing.y + drawing.height).toBeLessThanOrEqual(card.y + card.height);
    expect(drawing.x + drawing.width).toBeLessThanOrEqual(card.x + card.width);
  }
  await weights.getByRole('button', { name: 'Table' }).click();
  let rows = await tableRows(weights);
  const alive = results.cycles[1]!.layers.map((l) => l.alive);
  const row = (label: string) =>
    rows
      .find((r) => r[0] === label)!
      .slice(2)
      .map(Number);
  expect(row('alive')).toEqual(alive);
  const bins = rows.filter((r) => /^\d/.test(r[0]!));
  expect(bins).toHaveLength(40);
  const sums = alive.map(
    (_, l) =>
      bins.reduce((a, r) => a + Number(r[2 + l]), 0) +
      row('below the axis')[l]! +
      row('above the axis')[l]!,
  );
  expect(sums).toEqual(alive);
  // The cut of cycle 2's prune, as the results record it (exact to 6 digits).
  const removed = row('cycle 2 (made this state): largest |w| removed');
  results.cycles[1]!.layers.forEach((l, i) => expect(removed[i]).toBeCloseTo(l.prunedMaxAbs!, 6));

  // Back to cycle 1: the criterion preview of prune 2 with global magnitude is what the run
  // then did (per layer and accuracy right after it).
  await page.getByRole('slider', { name: 'Network state' }).fill('1');
  await expect(page.getByTestId('inspect-state')).toHaveText('after cycle 1');
  await expect(chart(page, 'criterion-preview')).toContainText('prune 2');
  await expect(chart(page, 'criterion-preview').locator('rect.plot-bar')).not.toHaveCount(0);
  await preview.getByRole('button', { name: 'Table' }).click();
  await expect(preview.locator('.chart-table')).toContainText("this run's prune (cycle 2)");
  rows = await tableRows(preview);
  expect(rows.map((r) => r[0])).toEqual([
    'Global magnitude',
    'Uniform',
    'Uniform+',
    'ERK',
    'LAMP',
    'Random',
    "this run's prune (cycle 2)",
  ]);
  const global = rows[0]!.slice(1).map(Number);
  const actual = rows.at(-1)!.slice(1).map(Number);
  expect(global).toEqual(actual);
  expect(actual.at(-1)).toBeCloseTo(100 * results.cycles[1]!.afterPrune.testAccuracy, 1);

  // Masks after cycle 1: the input image and the three layers; coloured by the cycle.
  await expect(chart(page, 'masks').locator('image')).toHaveCount(4);
  await masks.getByLabel('the cycle that pruned them').check();
  await expect(chart(page, 'masks')).toContainText('pruned in cycle 1');
  await page.getByRole('slider', { name: 'Network state' }).fill('2');
  await expect(chart(page, 'masks')).toContainText('pruned in cycle 2');

  // Layer sensitivity of the network after cycle 2: runs to the end, curves and the results.
  await sensitivity.getByRole('button', { name: 'Run sensitivity (after cycle 2)' }).click();
  await expect(chart(page, 'sensitivity').locator('path.plot-line-path')).toHaveCount(4, {
    timeout: 120_000,
  });
  await expect(sensitivity.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  const after = await downloadResults(page);
  expect(after.sensitivity?.map((s) => s.cycle)).toEqual([2]);
  const curves = after.sensitivity![0]!.curves;
  expect(curves.map((c) => c.layer)).toEqual(['fc1', 'fc2', 'fc3', 'global']);
  // fc3 (1,000 weights) pruned alone to 99% keeps at most round(0.01 * 1000) = 10.
  expect(curves[2]!.points.at(-1)!.layerSparsity).toBeGreaterThanOrEqual(0.99);
  await sensitivity.getByRole('button', { name: 'Table' }).click();
  expect(await tableRows(sensitivity)).toHaveLength(36);

  // SVG export of a drawing of the lab's own.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    weights.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pruning-lab-w-of-the-surviving.*\.svg$/);
});

test("a LAMP run shows LAMP's scores beside the magnitudes, with its one cut", async ({ page }) => {
  await page.goto('./#v=1&dataset=synthetic&denseEpochs=1&cycles=2&criterion=lamp');
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  const panel = page.getByRole('region', { name: 'Inside the network' });
  const weights = panel.getByRole('region', { name: 'Weight magnitudes' });
  await weights.getByRole('button', { name: 'Weight magnitudes' }).click();
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 2 of 2 cycles', { timeout: 240_000 });
  await page.getByRole('slider', { name: 'Network state' }).fill('1');
  const card = chart(page, 'weight-magnitudes');
  await expect(
    card.getByRole('img', { name: 'Histograms of LAMP scores per layer, after cycle 1' }),
  ).toBeVisible();
  await expect(card).toContainText(
    "LAMP's next prune (cycle 2) removes every score up to the line",
  );
  await weights.getByRole('button', { name: 'Table' }).click();
  const rows = await tableRows(weights);
  const cut = rows.find((r) => r[0] === 'cycle 2: largest LAMP score removed')!;
  const score = Number(cut[2]);
  expect(score).toBeGreaterThan(0);
  expect(score).toBeLessThanOrEqual(1);
  // LAMP's one score cut is a different |w| in each layer: cycle 2's recorded cuts differ.
  const removed = rows
    .find((r) => r[0] === 'cycle 2: largest |w| removed')!
    .slice(2)
    .map(Number);
  expect(new Set(removed).size).toBeGreaterThan(1);
});
