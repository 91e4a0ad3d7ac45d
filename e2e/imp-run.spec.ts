import { expect, test } from '@playwright/test';
import { chart, configure, downloadResults, openApp } from './helpers';
import { readFile } from 'node:fs/promises';

test('steps through a small IMP run with the buttons; every chart fills; results download', async ({
  page,
}) => {
  const wasmFiles: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasmFiles.push(r.url());
  });
  await openApp(page);
  await configure(page, {
    selects: { 'Data set': 'synthetic', Model: 'lenet300', 'Retrain schedule': 'clr' },
    numbers: {
      'Dense epochs': '1',
      Cycles: '2',
      'Target sparsity (%)': '75',
      'Retrain epochs per cycle': '1',
      'Batch size': '64',
    },
  });
  const stage = page.getByTestId('stage');

  await page.getByRole('button', { name: 'Train dense' }).click();
  await expect(stage).toHaveText('Dense network trained');
  await expect(chart(page, 'accuracy-sparsity').locator('circle.plot-dot')).toHaveCount(1);
  await expect(chart(page, 'training-curves').locator('circle.plot-dot')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Train dense' })).toBeDisabled();
  await expect(page.getByLabel('Cycles', { exact: true })).toBeDisabled(); // locked while a run exists

  await page.getByRole('button', { name: 'Prune' }).click();
  await expect(stage).toHaveText('Cycle 1 of 2: pruned');
  await expect(chart(page, 'layer-sparsity').locator('rect.plot-bar')).not.toHaveCount(0);

  // Keyboard: focus Retrain and press Enter.
  await page.getByRole('button', { name: 'Retrain' }).focus();
  await page.keyboard.press('Enter');
  await expect(stage).toHaveText('Cycle 1 of 2: retrained');
  await expect(chart(page, 'lr-schedule')).toContainText('Retraining learning rate, cycle 1 (CLR)');
  await expect(chart(page, 'lr-schedule').locator('path.plot-line-path')).toHaveCount(1);

  await page.getByRole('button', { name: 'Step cycle' }).click();
  await expect(stage).toHaveText('Done: 2 of 2 cycles');
  // Nothing runs any more: the progress line says the run is finished (not "Idle"), bar full.
  await expect(page.locator('.progress-label')).toHaveText('Finished');
  await expect(page.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('value', '1');
  // Dense + 2 cycles after retrain, 2 after prune.
  await expect(chart(page, 'accuracy-sparsity').locator('circle.plot-dot')).toHaveCount(5);
  await expect(chart(page, 'training-curves').locator('circle.plot-dot')).toHaveCount(6);
  await expect(chart(page, 'lr-schedule')).toContainText('cycle 2');
  for (const name of ['Step cycle', 'Run all', 'Prune', 'Retrain']) {
    await expect(page.getByRole('button', { name })).toBeDisabled();
  }

  const results = await downloadResults(page);
  const badge = await page.getByTestId('backend').textContent();
  // Served cross-origin isolated, so WASM runs tfjs's multi-threaded build (kept working in
  // the minified bundle by build/wasm-threads-plugin.ts).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  if (results.environment.backend === 'wasm') {
    expect(wasmFiles.some((url) => /threaded-simd/.test(url))).toBe(true);
    // Every logical core (tfjs alone would take half), and the lab's SIMD kernels on its heap.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (cores > 1) expect(badge).toContain(`, ${cores} threads`);
    expect(badge).toContain('SIMD training kernels');
    // The lab's own kernels on as many threads, their helpers having passed the self-check
    // (a filter gradient split over the threads has the same bits as on one).
    if (cores > 1) expect(badge).toContain(`SIMD training kernels on ${cores} threads`);
  }
  expect(badge).toContain(`Backend: ${results.environment.backend}`);
  expect(results.environment.runtime).toBe('browser');
  expect(results.config).toMatchObject({
    dataset: 'synthetic',
    cycles: 2,
    targetSparsity: 0.75,
    retrainSchedule: 'clr',
  });
  // 266,200 prunable weights: exactly half, then three quarters.
  expect(results.cycles.map((c) => c.sparsity)).toEqual([0.5, 0.75]);
  expect(results.dense!.final.testAccuracy).toBeGreaterThan(0.3);
  expect(results.cycles[1]!.afterRetrain!.testAccuracy).toBeGreaterThan(0.3);
  const table = page.getByRole('table', { name: 'Test accuracy per cycle' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table).toContainText('75.00%');
  // The compression report of the last prune: 25% alive is a 4x theoretical speed-up.
  const report = page.getByRole('region', { name: 'Compression report' });
  await expect(report).toContainText('Compression after cycle 2');
  await expect(report).toContainText('(4.0×)');

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(stage).toHaveText('Not trained yet');
  await expect(page.getByLabel('Cycles', { exact: true })).toBeEnabled();
});

test('Run all of the default (LeNet-5 on Fashion-MNIST) pauses and resumes between batches; Reset stops it', async ({
  page,
}) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Run all' }).click();
  const label = page.locator('.progress-label');
  await expect(label).toContainText('Training dense', { timeout: 90_000 }); // after loading the data
  await expect(page.getByTestId('stage')).toHaveText('Training dense'); // not "Not trained yet"
  const progress = page.getByRole('progressbar', { name: 'Progress' });
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { timeout: 60_000 })
    .toBeGreaterThan(0.01);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(label).toContainText('Paused');
  await page.waitForTimeout(500);
  const paused = Number(await progress.getAttribute('value'));
  await page.waitForTimeout(2000);
  expect(Number(await progress.getAttribute('value'))).toBe(paused);
  // The page stays responsive while the worker holds a model: settings panel is locked, not frozen.
  await expect(page.getByText('Settings are locked while a run exists')).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { timeout: 60_000 })
    .toBeGreaterThan(paused);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Not trained yet');
  await expect(page.getByRole('button', { name: 'Train dense' })).toBeEnabled();
  await expect(page.getByRole('alert')).toHaveCount(0); // a reset is not an error
});

test('Export to PyTorch downloads a script carrying the settings on screen', async ({ page }) => {
  await openApp(page);
  await configure(page, {
    selects: { Regime: 'gmp', Criterion: 'lamp', Model: 'lenet5' },
    numbers: { 'GMP prunes every (iterations)': '25', 'Target sparsity (%)': '95' },
  });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export to PyTorch' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('pruning_lab_experiment.py');
  const script = await readFile((await download.path())!, 'utf8');
  expect(script).toContain('import torch.nn.utils.prune as prune');
  const config = JSON.parse(/CONFIG = json\.loads\(r"""([\s\S]*?)"""\)/.exec(script)![1]!);
  expect(config).toMatchObject({
    regime: 'gmp',
    criterion: 'lamp',
    model: 'lenet5',
    gmpEvery: 25,
    targetSparsity: 0.95,
  });
});
