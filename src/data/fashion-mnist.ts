/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) as the lab reads it: the original four IDX files,
 * as Debian's dataset-fashion-mnist package ships them (gzip-compressed, under
 * FASHION_MNIST_DEBIAN_DIR). scripts/prepare-data.mjs copies them into public/data/fashion-mnist/
 * when they are there at build time; the CLI reads them in place. No DOM.
 */
import { DATASET_REGISTRY } from '../core/datasets';
import { MNIST_FILE_NAMES, type IdxSetInfo } from './dataset';
import type { ServedIdxSet } from './fetch-mnist';

/** Where Debian's dataset-fashion-mnist package puts the four files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

const entry = DATASET_REGISTRY['fashion-mnist'];

export const FASHION_MNIST_INFO: IdxSetInfo = {
  name: entry.id,
  numClasses: entry.classes,
  mean: entry.mean,
  std: entry.std,
};

const fileList = Object.values(MNIST_FILE_NAMES)
  .map((name) => `${name}.gz`)
  .join(', ');

/** What the app says when it was built without the files. */
export const FASHION_MNIST_NOT_BUILT =
  'This copy of the lab was built without Fashion-MNIST (Debian’s dataset-fashion-mnist ' +
  `package was not installed when it was built). If you have its four files (${fileList}), ` +
  'open them together with “Open data file…” under Data set: they become “Your IDX files”.';

export const FASHION_MNIST_SERVED: ServedIdxSet = {
  ...FASHION_MNIST_INFO,
  label: 'Fashion-MNIST',
  notBuilt: () => FASHION_MNIST_NOT_BUILT,
};
