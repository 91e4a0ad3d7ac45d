import { expect, test } from '@playwright/test';
import { configure, downloadResults, openApp } from './helpers';

test('trains, prunes and retrains on the WebGPU backend when chosen', async ({ page }) => {
  await openApp(page);
  await configure(page, {
    // The MLP: LeNet-5 on SwiftShader's software adapter runs at about 26 samples/s.
    selects: { 'Data set': 'synthetic', Model: 'lenet300', Backend: 'webgpu' },
    numbers: {
      'Dense epochs': '1',
      Cycles: '1',
      'Target sparsity (%)': '50',
      'Retrain epochs per cycle': '1',
      'Batch size': '32',
    },
  });
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 200_000 });
  const badge = page.getByTestId('backend');
  await expect(badge).toContainText('Backend: webgpu on');
  // Headless Chromium here has only SwiftShader's adapter; a GPU machine shows its own.
  // The details (behind the badge's disclosure) name the adapter.
  const adapter = (await badge.textContent())!.match(
    /Backend: webgpu on (.*?) \(TensorFlow\.js\)/,
  )![1]!;
  expect(adapter.length).toBeGreaterThan(0);
  const results = await downloadResults(page);
  expect(results.environment.backend).toBe('webgpu');
  expect(results.environment.adapter).toBe(adapter);
  // The page's own WebGPU adapter is the one the worker trained on.
  const pageAdapter = await page.evaluate(async () => {
    const info = (await navigator.gpu.requestAdapter())!.info;
    return { vendor: info.vendor, architecture: info.architecture };
  });
  expect(adapter).toContain(pageAdapter.vendor);
  expect(adapter).toContain(pageAdapter.architecture);
  expect(results.cycles[0]!.sparsity).toBe(0.5);
  expect(results.dense!.final.testAccuracy).toBeGreaterThan(0.3);
  expect(results.cycles[0]!.afterRetrain!.testAccuracy).toBeGreaterThan(0.3);

  // Same seed, same backend: the same numbers (WebGPU matmuls sum in a fixed order).
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Not trained yet');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 200_000 });
  const again = await downloadResults(page);
  expect(again.dense!.epochs.map((e) => [e.trainLoss, e.testAccuracy, e.testLoss])).toEqual(
    results.dense!.epochs.map((e) => [e.trainLoss, e.testAccuracy, e.testLoss]),
  );
  expect(again.cycles[0]!.afterPrune).toEqual(results.cycles[0]!.afterPrune);
  expect(again.cycles[0]!.afterRetrain).toEqual(results.cycles[0]!.afterRetrain);
});
