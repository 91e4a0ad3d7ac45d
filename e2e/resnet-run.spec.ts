import { expect, test } from '@playwright/test';
import { downloadResults } from './helpers';

// ResNet-8's stride-1 3x3 layers of 32 and 64 channels train the Winograd F(4x4, 3x3) way on
// WASM (src/engine/kernels/winograd.ts), their transforms split over the kernel helper threads,
// with batch norm: the whole path through the real worker, its gradients good enough to learn
// the synthetic classes (the plain CNNs, LeNet-5 and Conv-4, stay at chance there for the first
// epochs at PyTorch's initialisation; LeNet-300-100 is the synthetic set's model).
test('ResNet-8 trains, prunes and retrains on WASM through the worker', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(
    './#v=2&dataset=synthetic&model=resnet8&denseEpochs=5&cycles=1&targetSparsity=0.5' +
      '&retrainEpochs=1&batchSize=32&backend=wasm',
  );
  const badge = page.getByTestId('backend');
  await expect(badge).toContainText('Backend: wasm', { timeout: 60_000 });
  await expect(badge).toContainText('SIMD training kernels');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 240_000 });
  const results = await downloadResults(page);
  expect(results.environment.backend).toBe('wasm');
  expect(results.config).toMatchObject({ model: 'resnet8', dataset: 'synthetic', cycles: 1 });
  expect(results.cycles.map((c) => c.sparsity)).toEqual([0.5]);
  // Ten classes: chance is 10%, give or take 1.9% over 256 test images (28% and 21% here).
  expect(results.dense!.final.testAccuracy).toBeGreaterThan(0.2);
  expect(results.cycles[0]!.afterRetrain!.testAccuracy).toBeGreaterThan(0.15);
  // Training lowered the loss from ln 10 (a uniform guess) on the test images.
  expect(results.dense!.final.testLoss).toBeLessThan(Math.log(10));
});
