import { expect, test } from '@playwright/test';
import { inflateRawSync } from 'node:zlib';
import { resultsSchema, type Results } from '../src/schema/results';
import { chart } from './helpers';

/** The results a share-results link carries (its `results` parameter, inflated). */
const linkResults = (link: string): Results => {
  const data = new URL(link).hash.match(/[#&]results=([A-Za-z0-9_-]+)/)![1]!;
  return resultsSchema.parse(JSON.parse(inflateRawSync(Buffer.from(data, 'base64url')).toString()));
};

const TINY =
  '#v=1&dataset=synthetic&denseEpochs=1&targetSparsity=0.75&cycles=2&batchSize=64&backend=wasm';

const ready = (page: import('@playwright/test').Page) =>
  expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });

test('runs are kept across reloads; a results link shows a run elsewhere, and Re-run matches it', async ({
  page,
  browser,
}) => {
  await page.goto(`./${TINY}`);
  await ready(page);
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
  const runs = page.getByRole('table', { name: 'Saved runs' });
  await expect(runs.getByRole('row')).toHaveCount(2);
  // The run list redraws in its turn (src/ui/redraw-queue.ts): read it once it shows the end.
  await expect(runs.getByRole('row').nth(1)).toContainText('finished');
  const accuracy = await runs.getByRole('row').nth(1).getByRole('cell').nth(3).textContent();

  await page.reload();
  await ready(page);
  const row = runs.getByRole('row').nth(1);
  await expect(row).toContainText('finished');
  await expect(row.getByRole('cell').nth(3)).toHaveText(accuracy!);
  await row.getByRole('checkbox').check();
  await expect(page.locator('figure[data-chart="compare-accuracy"] .plot-line')).toHaveCount(1);
  await row.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Results link').inputValue();
  expect(link).toMatch(/#v=2&.*&results=[A-Za-z0-9_-]+$/);

  // Someone else opens the link: a fresh browser profile, no training.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await ready(other);
  const theirs = other.getByRole('table', { name: 'Saved runs' });
  await expect(theirs.getByRole('row').nth(1)).toContainText('shared link');
  await expect(theirs.getByRole('row').nth(1).getByRole('cell').nth(3)).toHaveText(accuracy!);
  await expect(other.getByText(/and pinned in the comparison below/)).toBeVisible();
  await expect(other.locator('figure[data-chart="compare-accuracy"] .plot-line')).toHaveCount(1);
  // The shared run opens in the main view, read only: its charts and tables carry the link's
  // numbers (read here straight from the link with Node's inflater).
  const shared = linkResults(link);
  const banner = other.getByRole('region', { name: 'Opened run' });
  await expect(banner).toContainText(
    'Showing shared run “lenet300 · global · 75% · slr” (read only)',
  );
  const table = other.getByRole('table', { name: 'Test accuracy per cycle' });
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  await expect(table.getByRole('row', { name: /^Dense / })).toContainText(
    pct(shared.dense!.final.testAccuracy),
  );
  for (const c of shared.cycles) {
    await expect(table.getByRole('row', { name: new RegExp(`^Cycle ${c.cycle} `) })).toHaveText(
      [`Cycle ${c.cycle}`, pct(c.sparsity), pct(c.afterPrune.testAccuracy)]
        .concat(pct(c.afterRetrain!.testAccuracy))
        .join(''),
    );
  }
  await expect(other.getByRole('region', { name: 'Compression report' })).toContainText(
    'Compression after cycle 2',
  );
  const accuracyChart = chart(other, 'accuracy-sparsity');
  await accuracyChart.getByRole('button', { name: 'Table' }).click();
  const cell = (v: number) => Number(v.toPrecision(4)).toString();
  await expect(accuracyChart.getByRole('row')).toHaveText([
    'sparsity %after prune %after retrain %',
    `0—${cell(100 * shared.dense!.final.testAccuracy)}`,
    ...shared.cycles.map(
      (c) =>
        `${cell(100 * c.sparsity)}${cell(100 * c.afterPrune.testAccuracy)}` +
        cell(100 * c.afterRetrain!.testAccuracy),
    ),
  ]);
  await accuracyChart.getByRole('button', { name: 'Table' }).click();
  await expect(other.getByTestId('stage')).toHaveText('Not trained yet');
  // Back to the live experiment: nothing trained here yet.
  await other.getByRole('button', { name: 'Back to the live experiment' }).click();
  await expect(banner).toHaveCount(0);
  await expect(table.getByRole('row', { name: /^Cycle / })).toHaveCount(0);
  await expect(accuracyChart).toContainText('Train the dense network to see its accuracy here.');
  await expect(other.getByRole('region', { name: 'Compression report' })).toHaveCount(0);
  await theirs.getByRole('row').nth(1).getByRole('button', { name: 'Re-run' }).click();
  await expect(other.getByTestId('stage')).toContainText('Done', { timeout: 120_000 });
  await expect(theirs.getByRole('row')).toHaveCount(3);
  const rerun = theirs.getByRole('row').filter({ hasText: 'this browser' });
  await expect(rerun.getByRole('cell').nth(3)).toHaveText(accuracy!);
});

test('a run interrupted by a reload is shown with where it stopped, and resumes from there', async ({
  page,
}) => {
  await page.goto(`./${TINY.replace('cycles=2', 'cycles=12')}&retrainEpochs=3`);
  await ready(page);
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toContainText('Cycle 2 of 12', { timeout: 120_000 });
  await page.reload();
  await ready(page);
  const rows = page.getByRole('table', { name: 'Saved runs' }).getByRole('row');
  await expect(rows.nth(1)).toContainText(/stopped after cycle \d+ of 12/);
  await rows
    .nth(1)
    .getByRole('button', { name: /^Resume/ })
    .click();
  await expect(page.getByTestId('stage')).toContainText('Done: 12 of 12 cycles', {
    timeout: 120_000,
  });
  // Still one run, now finished; the results table goes on from the saved cycles.
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('finished');
  await expect(
    page
      .getByRole('table', { name: 'Test accuracy per cycle' })
      .getByRole('rowheader', { name: 'Cycle 12' }),
  ).toBeVisible();
});

test('importing a wrong file says why and adds nothing', async ({ page }) => {
  await page.goto('./');
  await ready(page);
  await page.getByLabel('Import results file').setInputFiles({
    name: 'photo.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"not": "results"}'),
  });
  await expect(page.getByRole('alert')).toContainText(
    '“photo.json” is not a Pruning Lab results file',
  );
  await expect(page.getByRole('table', { name: 'Saved runs' })).toHaveCount(0);
});

test('a run stored in the unversioned format resumes; a damaged record is listed and removed', async ({
  page,
}) => {
  await page.goto(`./${TINY}`);
  await ready(page);
  await page.getByRole('button', { name: 'Train dense' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Dense network trained', { timeout: 120_000 });
  const rows = page.getByRole('table', { name: 'Saved runs' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  // Rewrite the stored record as the app wrote it before stored runs had a version (no version,
  // the draws a tuple, no bnRecalibration setting yet), and add a record nothing can read.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('pruning-lab-runs');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const done = (request: IDBRequest) =>
      new Promise<unknown>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const runs = () => db.transaction('runs', 'readwrite').objectStore('runs');
    const [key] = (await done(runs().getAllKeys())) as string[];
    const record = (await done(runs().get(key!))) as {
      version?: number;
      results: { config: Record<string, unknown> };
      checkpoint: {
        results: { config: Record<string, unknown> };
        draws: Record<string, number> | number[];
      };
    };
    delete record.version;
    delete record.results.config.bnRecalibration;
    delete record.checkpoint.results.config.bnRecalibration;
    const { dataOrder, prune, bnRecalibration } = record.checkpoint.draws as Record<string, number>;
    record.checkpoint.draws = [dataOrder!, prune!, bnRecalibration!];
    await done(runs().put(record, key));
    await done(runs().put({ id: 'run:broken', savedAt: 1, results: 'lost' }, 'run:broken'));
  });
  await page.reload();
  await ready(page);
  const damaged = rows.filter({ hasText: 'Damaged saved run' });
  await expect(damaged).toContainText('damaged: It does not fit the saved-run format');
  await expect(rows.nth(1)).toContainText('stopped after cycle 0 of 2');
  await rows
    .nth(1)
    .getByRole('button', { name: /^Resume/ })
    .click();
  await expect(page.getByTestId('stage')).toContainText('Done: 2 of 2 cycles', {
    timeout: 120_000,
  });
  await damaged.getByRole('button', { name: 'Remove damaged run run:broken' }).click();
  await expect(damaged).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('finished');
  await page.reload();
  await ready(page);
  await expect(rows).toHaveCount(2); // removed from the archive too
});
