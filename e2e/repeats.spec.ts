import { expect, test } from '@playwright/test';
import { chart, downloadResults } from './helpers';

/**
 * Repeats through the real worker: three seeds of a tiny run train one after another, are saved
 * as one run, and the accuracy chart draws their mean with a ±1 std band whose numbers are those
 * of the three seeds' runs in the downloaded results.
 */
test('Repeats 3 trains three seeds into one saved run; the chart shows their mean and spread', async ({
  page,
}) => {
  await page.goto(
    './#v=1&dataset=synthetic&denseEpochs=1&targetSparsity=0.75&cycles=2&batchSize=64&backend=wasm',
  );
  await expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });
  await page.getByLabel('Repeats (runs)').fill('3');
  await expect(page).toHaveURL(/repeats=3/);
  await page.getByRole('button', { name: 'Run all' }).click();
  // While it runs, the progress line says which seed.
  await expect(page.locator('.progress-label')).toContainText(/Seed 4[2-4] \([1-3] of 3\) · /, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('stage')).toHaveText('Done: 2 of 2 cycles, 3 of 3 seeds', {
    timeout: 180_000,
  });

  const saved = page.getByRole('table', { name: 'Saved runs' });
  await expect(saved.getByRole('row')).toHaveCount(2); // header and the one run
  await expect(saved.getByRole('row').nth(1)).toContainText('finished');

  const results = await downloadResults(page);
  const runs = [results, ...(results.repeats ?? [])];
  expect(runs.map((r) => r.config.seed)).toEqual([42, 43, 44]);
  expect(runs.every((r) => r.cycles.length === 2)).toBe(true);

  const accuracy = chart(page, 'accuracy-sparsity');
  await expect(accuracy.getByTestId('seed-band-note')).toHaveText(
    "Mean of 3 seeds, band ±1 standard deviation. The other charts show seed 42's run.",
  );
  await accuracy.getByRole('button', { name: 'Table' }).click();
  const table = accuracy.locator('.chart-table table');
  await expect(table.locator('thead th')).toHaveText([
    'sparsity %',
    'after prune % (mean)',
    'after prune − std %',
    'after prune + std %',
    'after retrain % (mean)',
    'after retrain − std %',
    'after retrain + std %',
    'seeds',
  ]);
  // The last cycle's row against the three seeds' own final accuracies (sample std, n − 1).
  const finals = runs.map((r) => 100 * r.cycles[1]!.afterRetrain!.testAccuracy);
  const mean = finals.reduce((a, b) => a + b, 0) / 3;
  const std = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
  const cells = await table
    .locator('tbody tr')
    .last()
    .locator('td')
    .evaluateAll((tds) => tds.map((td) => Number(td.textContent)));
  expect(cells[0]).toBeCloseTo(75, 1);
  expect(cells[4]).toBeCloseTo(mean, 1);
  expect(cells[5]).toBeCloseTo(mean - std, 1);
  expect(cells[6]).toBeCloseTo(mean + std, 1);
  expect(cells[7]).toBe(3);
  // The saved run's accuracy is the seeds' too: mean ± std, and how many seeds finished.
  await expect(saved.getByRole('row').nth(1)).toContainText(
    `${mean.toFixed(2)}% ± ${std.toFixed(2)} (3 of 3 seeds)`,
  );
});
