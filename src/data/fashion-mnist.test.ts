/**
 * Fashion-MNIST on the real files (Debian's dataset-fashion-mnist, which `npm test` installs):
 * the CLI's loader, the registry's words and constants, and what the app says when its build
 * has no copy.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDatasetNode } from '../cli/node-data';
import { DATASET_REGISTRY } from '../core/datasets';
import { FASHION_MNIST_SERVED } from './fashion-mnist';
import { DatasetNotBuiltError, fetchIdxSet } from './fetch-mnist';

describe('Fashion-MNIST, the original IDX files', () => {
  it('has 60,000 / 10,000 28x28 images with the known first labels', async () => {
    const data = await loadDatasetNode('fashion-mnist');
    expect(data.name).toBe('fashion-mnist');
    expect(data.imageShape).toEqual([28, 28, 1]);
    expect(data.numClasses).toBe(10);
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.train.images.length).toBe(60000 * 784);
    const names = DATASET_REGISTRY['fashion-mnist'].classNames;
    // The first training image is an ankle boot (9), as is the first test image.
    expect(names?.[data.train.labels[0]!]).toBe('Ankle boot');
    expect(data.test.labels[0]).toBe(9);
    expect([...data.train.labels.subarray(0, 6)]).toEqual([9, 0, 0, 3, 0, 2]);
    // 6,000 training and 1,000 test images per class.
    const perClass = new Array<number>(10).fill(0);
    for (const label of data.train.labels) perClass[label]! += 1;
    expect(perClass).toEqual(new Array<number>(10).fill(6000));

    // The registry's normalisation is the training pixels' own mean and std (/255).
    let sum = 0;
    let sumSq = 0;
    for (const p of data.train.images) {
      sum += p;
      sumSq += p * p;
    }
    const n = data.train.images.length;
    const mean = sum / n / 255;
    const std = Math.sqrt(sumSq / n / 255 ** 2 - mean ** 2);
    expect(mean).toBeCloseTo(DATASET_REGISTRY['fashion-mnist'].mean, 3);
    expect(std).toBeCloseTo(DATASET_REGISTRY['fashion-mnist'].std, 3);
  });

  it('names its ten classes', () => {
    expect(DATASET_REGISTRY['fashion-mnist'].classNames).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
  });
});

describe('a build without Fashion-MNIST', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['a 404', () => new Response('no', { status: 404 })],
    [
      "the single-page host's index.html",
      () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
    ],
  ])('says plainly that this build lacks it (%s), not a fetch error', async (_, answer) => {
    vi.stubGlobal('fetch', async () => answer());
    const loading = fetchIdxSet('http://127.0.0.1:1/data/fashion-mnist/', FASHION_MNIST_SERVED);
    await expect(loading).rejects.toBeInstanceOf(DatasetNotBuiltError);
    await expect(loading).rejects.toThrow(/built without Fashion-MNIST/);
    await expect(loading).rejects.not.toThrow(/HTTP|fetch/);
  });
});
