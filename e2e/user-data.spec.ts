/**
 * Data sets beyond the synthetic one: Fashion-MNIST built into this build (the default, with
 * LeNet-5), and a CIFAR-10
 * archive (generated in the exact distributed layout, packed by GNU tar) opened through the
 * file picker, read in the worker, trained to Done, kept over a reload and removed; a damaged
 * archive is refused in words and loses nothing; four IDX files of one's own the same way; a
 * .zip of images in class folders (PNGs by pngjs, a JPEG by jpeg-js, zipped by fflate) decoded
 * by the browser in the worker, and the same images as a folder through the folder picker.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../src/data/idx';
import { writeCifar10 } from '../src/test/cifar-fixture';
import { fixtureEntries, writeFolder, zipFolder } from '../src/test/image-folder-fixture';
import { downloadResults } from './helpers';

const ready = async (page: import('@playwright/test').Page) =>
  expect(page.getByTestId('backend')).toContainText('Backend:', { timeout: 60_000 });

test('Fashion-MNIST is built in and, with LeNet-5, the default: a short run trains on its 60,000 images to Done', async ({
  page,
}) => {
  await page.goto('./#v=2&denseEpochs=1&cycles=1&retrainEpochs=0');
  await ready(page);
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('fashion-mnist');
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('lenet5');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 240_000 });
  const results = await downloadResults(page);
  expect(results.config).toMatchObject({ dataset: 'fashion-mnist', model: 'lenet5' });
  expect(results.model.prunableParams).toBe(61_470); // LeNet-5's five layers, 28x28 padded
  // Ten clothing classes: one dense epoch of LeNet-5 gets well past chance (10%).
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
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('synthetic');

  await page.getByLabel('Open data file…').setInputFiles(fixture.archive);
  const kept = page.getByRole('list', { name: 'Kept in this browser' });
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
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toContainText(
    'CIFAR-10: cifar-10-binary.tar.gz',
  );
  await page.getByRole('button', { name: 'Remove CIFAR-10' }).click();
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toHaveCount(0);
});

test('your own four IDX files (a KMNIST-like set, one .gz) open together and train to Done', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'idx-'));
  const images = (n: number) =>
    encodeIdx(
      [n, 28, 28],
      Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256),
    );
  const labels = (n: number) =>
    encodeIdx(
      [n],
      Uint8Array.from({ length: n }, (_, i) => i % 10),
    );
  const files = {
    'k49-train-imgs-idx3-ubyte.gz': gzipSync(images(120)),
    'k49-train-labels-idx1-ubyte': labels(120),
    'k49-test-imgs-idx3-ubyte': images(40),
    'k49-test-labels-idx1-ubyte': labels(40),
  };
  const paths = Object.entries(files).map(([name, bytes]) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  });
  await page.goto('./#v=1&dataset=idx&denseEpochs=1&cycles=1&retrainEpochs=1&batchSize=30');
  // A link naming a set of one's own: the page says which files to open (no engine yet).
  await expect(page.getByRole('alert').filter({ hasText: 'not in this browser yet' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('status').filter({ hasText: 'Not built in' })).toContainText(
    'Not built in: open the four IDX files together',
  );
  await page.getByLabel('Open data file…').setInputFiles(paths.slice(0, 3));
  await expect(page.getByRole('alert').filter({ hasText: 'got 3 files' })).toContainText(
    'Open the four IDX files together',
  );
  // The picker is disabled while a file is read; the refusal re-enables it.
  await expect(page.getByLabel('Open data file…')).toBeEnabled();
  await page.getByLabel('Open data file…').setInputFiles(paths);
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toContainText(
    'Your IDX files: 4 files, 120 / 40 images',
  );
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 240_000 });
  expect((await downloadResults(page)).config.dataset).toBe('idx');
});

test('a .zip of your own images in class folders trains to Done, stays after a reload, and can be removed', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'images-'));
  const zip = join(dir, 'shapes.zip');
  writeFileSync(zip, zipFolder(fixtureEntries({ root: 'shapes' })));
  const notes = join(dir, 'notes.zip');
  writeFileSync(
    notes,
    zipFolder([
      ...fixtureEntries({ classes: 2, perClass: 2, jpeg: false }),
      { path: 'circle/notes.txt', bytes: new TextEncoder().encode('not a picture') },
    ]),
  );
  await page.goto(
    './#v=1&dataset=images&imageSize=16&imageChannels=grey&denseEpochs=1&cycles=1&retrainEpochs=1&batchSize=4',
  );
  // A link naming your images: the page says what to open (no engine yet).
  await expect(page.getByRole('alert').filter({ hasText: 'not in this browser yet' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('status').filter({ hasText: 'Not built in' })).toContainText(
    'Not built in: open a .zip (or a folder) of images',
  );
  await expect(page.getByLabel('Image size (pixels)')).toHaveValue('16');

  await page.getByLabel('Open data file…').setInputFiles(notes);
  await expect(page.getByRole('alert').filter({ hasText: 'notes.txt' })).toContainText(
    'notes.zip: circle/notes.txt is not an image',
  );
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toHaveCount(0);
  await expect(page.getByLabel('Open data file…')).toBeEnabled();

  await page.getByLabel('Open data file…').setInputFiles(zip);
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toContainText(
    'Your images: shapes.zip, 3 classes, 16 / 3 images (test: 20% of each class held out)',
  );
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('images');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByTestId('stage')).toHaveText('Done: 1 of 1 cycles', { timeout: 240_000 });
  const results = await downloadResults(page);
  expect(results.config).toMatchObject({ dataset: 'images', imageSize: 16, imageChannels: 'grey' });
  // The model takes its shape from the data: 16 x 16 grey in, 3 classes out.
  expect(results.model.layers.map((l) => l.shape)).toEqual([
    [256, 300],
    [300, 100],
    [100, 3],
  ]);

  await page.reload();
  await ready(page);
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toContainText(
    'Your images: shapes.zip, 3 classes',
  );
  await page.getByRole('button', { name: 'Remove Your images' }).click();
  await expect(page.getByRole('list', { name: 'Kept in this browser' })).toHaveCount(0);
});

test('a folder of your own images opens through the folder picker, train/ and test/ kept apart; a dropped .zip too', async ({
  page,
}) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'images-folder-')), 'shapes');
  writeFolder(dir, fixtureEntries({ layout: 'split' }));
  await page.goto('./#v=1&dataset=synthetic');
  await ready(page);
  await page.getByLabel('Open image folder…').setInputFiles(dir);
  const kept = page.getByRole('list', { name: 'Kept in this browser' });
  await expect(kept).toContainText('Your images: shapes, 3 classes, 19 / 6 images,');
  await expect(kept).not.toContainText('held out');
  await expect(page.getByRole('combobox', { name: 'Data set' })).toHaveValue('images');
  await page.getByRole('button', { name: 'Remove Your images' }).click();
  await expect(kept).toHaveCount(0);

  // A .zip dropped on the data-set area reads the same way.
  const zip = Buffer.from(zipFolder(fixtureEntries())).toString('base64');
  const dataTransfer = await page.evaluateHandle((base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.zip', { type: 'application/zip' }));
    return transfer;
  }, zip);
  await page.locator('.user-data').dispatchEvent('dragover', { dataTransfer });
  await page.locator('.user-data').dispatchEvent('drop', { dataTransfer });
  await expect(kept).toContainText('Your images: dropped.zip, 3 classes, 16 / 3 images');
  await page.getByRole('button', { name: 'Remove Your images' }).click();
  await expect(kept).toHaveCount(0);
});
