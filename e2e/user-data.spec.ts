/**
 * Data sets beyond the synthetic one: Fashion-MNIST built into this build, and a CIFAR-10
 * archive (generated in the exact distributed layout, packed by GNU tar) opened through the
 * file picker, read in the worker, trained to Done, kept over a reload and removed; a damaged
 * archive is refused in words and loses nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { writeCifar10 } from '../src/test/cifar-fixture';
import { downloadResults } from './helpers';

const ready = async (page: import('@playwright/test').Page) =>
  expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });

test('Fashion-MNIST is built in: a short run trains on its 60,000 images to Done', async ({
  page,
}) => {
  await page.goto('./#v=1&dataset=fashion-mnist&denseEpochs=1&cycles=1&retrainEpochs=0');
  await ready(page);
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('fashion-mnist');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 240_000 });
  const results = await downloadResults(page);
  expect(results.config.dataset).toBe('fashion-mnist');
  // Ten clothing classes: one dense epoch of LeNet-300-100 gets well past chance.
  expect(results.dense!.final.testAccuracy).toBeGreaterThan(0.7);
});

test('a CIFAR-10 archive opened from disk trains to Done, stays after a reload, and can be removed', async ({
  page,
}) => {
  const fixture = writeCifar10(20, 20);
  await page.goto('./#v=1&dataset=synthetic&denseEpochs=1&cycles=1&retrainEpochs=1&batchSize=25');
  await ready(page);

  // A damaged copy first: refused in words, nothing kept, the settings unchanged.
  const bytes = readFileSync(fixture.archive);
  const damaged = `${fixture.archive}.cut.tar.gz`;
  writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await page.getByLabel('Open data file…').setInputFiles(damaged);
  await expect(page.getByRole('alert').filter({ hasText: 'cut.tar.gz' })).toContainText(
    /truncated|damaged/,
  );
  await expect(page.getByRole('list', { name: 'Your data sets' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('synthetic');

  await page.getByLabel('Open data file…').setInputFiles(fixture.archive);
  const kept = page.getByRole('list', { name: 'Your data sets' });
  await expect(kept).toContainText('CIFAR-10: cifar-10-binary.tar.gz, 100 / 20 images');
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('cifar10');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 240_000 });
  const results = await downloadResults(page);
  expect(results.config.dataset).toBe('cifar10');
  // LeNet-300-100 on 32x32x3 colour images: 3,072 inputs, 10 classes.
  expect(results.cycles).toHaveLength(1);

  await page.reload();
  await ready(page);
  await expect(page.getByRole('list', { name: 'Your data sets' })).toContainText(
    'CIFAR-10: cifar-10-binary.tar.gz',
  );
  await page.getByRole('button', { name: 'Remove CIFAR-10' }).click();
  await expect(page.getByRole('list', { name: 'Your data sets' })).toHaveCount(0);
});
