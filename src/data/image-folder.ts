/**
 * The user's own images in class folders (torchvision's ImageFolder layout), from a zip or from
 * a folder's files, resized to a square of the chosen side:
 * - `<root>/train/<class>/*.png|jpg` and `<root>/test/<class>/*` (`val` or `valid` stand for
 *   `test`); or
 * - `<root>/<class>/*` alone (or `train/` alone): then a seeded 20% of each class (at least one
 *   image of a class of two or more) is held out as the test split (HELD_OUT_FRACTION; the same
 *   folder always gives the same split).
 * Class names are the class folders' names, sorted; a label is the name's index. Decoding is
 * injected (`ImageDecoder`: the browser's createImageBitmap in the worker, pngjs and jpeg-js in
 * Node); the resize and the grey conversion are the lab's own (resizeImage, below), so the app,
 * the CLI and the PyTorch export give the same pixels for a PNG (a JPEG's decoders differ by a
 * few levels; the browser also turns a photo by its EXIF orientation, the others do not). Images are kept height x width x channels,
 * as CIFAR's, and normalised per channel by the training split's own mean and std. No DOM.
 */
import { unzipSync } from 'fflate';
import { channelStats } from './cifar';
import type { ImageDataset, ImageSplit } from './dataset';
import { deriveSeed, makeRng, permutation } from './rng';

/** One file of the folder or archive: its path inside it, and its bytes. */
export interface FolderEntry {
  path: string;
  bytes: Uint8Array;
}

/** A decoded image at its own size: width x height RGBA bytes, row-major (alpha is ignored). */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

/** Decodes one PNG or JPEG file; throws (in any words) if it cannot. */
export type ImageDecoder = (
  bytes: Uint8Array,
  name: string,
) => DecodedImage | Promise<DecodedImage>;

export type ImageChannels = 'grey' | 'rgb';

export interface ImageFolderOptions {
  /** The side of the square every image is resized to, in pixels. */
  size: number;
  channels: ImageChannels;
  /** Seeds the held-out test split when the folder has none (default 0: the lab's split). */
  splitSeed?: number;
  /** The fraction of images decoded so far. */
  onProgress?: (fraction: number) => void;
}

/** The most images the lab reads from one folder (every pixel is kept in memory). */
export const MAX_FOLDER_IMAGES = 100_000;
/** The share of each class held out as the test split when the folder has no test folder. */
export const HELD_OUT_FRACTION = 0.2;

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;
const TRAIN_NAMES = ['train'];
/** Folder names taken for the test split, in order of preference. */
const TEST_NAMES = ['test', 'val', 'valid'];
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Hidden and system files (`.DS_Store`, `__MACOSX/`, `Thumbs.db`): never part of the set. */
function ignored(segments: readonly string[]): boolean {
  return segments.some(
    (s) => s.startsWith('.') || s === '__MACOSX' || /^(thumbs\.db|desktop\.ini)$/i.test(s),
  );
}

/** Whether a file name is that of an image the lab reads (.png, .jpg, .jpeg). */
export const isImageName = (name: string) => IMAGE_EXTENSION.test(name);

/** Whether bytes start like a zip archive (a local file header, or an empty archive's end). */
export const looksLikeZip = (bytes: Uint8Array) =>
  bytes.length >= 4 &&
  bytes[0] === 0x50 &&
  bytes[1] === 0x4b &&
  (bytes[2] === 0x03 || bytes[2] === 0x05) &&
  (bytes[3] === 0x04 || bytes[3] === 0x06);

/**
 * The files of a zip archive (fflate), directories as entries of no bytes whose path ends in
 * `/` (they tell an empty class folder). A damaged archive throws in words.
 */
export function unzipEntries(bytes: Uint8Array, fileName: string): FolderEntry[] {
  let files;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(
      `${fileName} could not be unpacked: it is not a zip archive, or it is truncated or damaged.`,
      { cause: error },
    );
  }
  return Object.entries(files).map(([path, data]) => ({ path, bytes: data }));
}

interface Located {
  entry: FolderEntry;
  /** The path as given, for messages. */
  path: string;
  split: 'train' | 'test' | null;
  className: string;
}

/** Splits every entry's path into segments, drops hidden ones and a root folder common to all. */
function segmentsOf(entries: readonly FolderEntry[]) {
  const items = entries
    .map((entry) => ({
      entry,
      isDir: entry.path.endsWith('/'),
      segments: entry.path
        .replace(/\\/g, '/')
        .split('/')
        .filter((s) => s !== '' && s !== '.'),
    }))
    .filter((item) => item.segments.length > 0 && !ignored(item.segments));
  const files = items.filter((i) => !i.isDir);
  // Strip one root folder at a time while every file lies in it and it is not a split's folder.
  for (;;) {
    const first = files[0]?.segments[0];
    if (
      first === undefined ||
      isSplitName(first) ||
      !files.every((f) => f.segments.length >= 3 && f.segments[0] === first)
    ) {
      break;
    }
    for (const item of items) {
      if (item.segments[0] === first) item.segments = item.segments.slice(1);
    }
  }
  return items.filter((i) => i.segments.length > 0);
}

const isSplitName = (name: string) => [...TRAIN_NAMES, ...TEST_NAMES].includes(name.toLowerCase());

/**
 * Which split and class each image file is in; refuses in words a file that is not an image,
 * an image outside any class folder, a class folder with no images.
 */
function locate(entries: readonly FolderEntry[], fileName: string) {
  const items = segmentsOf(entries);
  const files = items.filter((i) => !i.isDir);
  const splitMode = files.some(
    (f) => f.segments.length >= 3 && TRAIN_NAMES.includes(f.segments[0]!.toLowerCase()),
  );
  const testName = splitMode
    ? TEST_NAMES.find((name) =>
        files.some((f) => f.segments.length >= 3 && f.segments[0]!.toLowerCase() === name),
      )
    : undefined;
  const located: Located[] = [];
  /** Class folders seen (directory entries too), per split, for the empty-class check. */
  const folders = new Set<string>();
  for (const item of items) {
    const s = item.segments;
    let split: Located['split'] = null;
    let rest = s;
    if (splitMode) {
      const head = s[0]!.toLowerCase();
      if (TRAIN_NAMES.includes(head)) split = 'train';
      else if (head === testName) split = 'test';
      else continue; // another folder beside train/ and test/ (e.g. an unused val/)
      rest = s.slice(1);
    }
    if (item.isDir) {
      if (rest.length === 1) folders.add(`${split ?? ''}/${rest[0]!}`);
      continue;
    }
    if (rest.length < 2) {
      if (!isImageName(s[s.length - 1]!)) continue; // a README beside the class folders
      throw new Error(
        `${fileName}: ${item.entry.path} is not in a class folder: put each image in the ` +
          `folder of its class (${splitMode ? 'train/<class>/' : '<class>/'}).`,
      );
    }
    if (!isImageName(s[s.length - 1]!)) {
      throw new Error(
        `${fileName}: ${item.entry.path} is not an image: the lab reads PNG and JPEG files ` +
          '(.png, .jpg, .jpeg) in class folders.',
      );
    }
    folders.add(`${split ?? ''}/${rest[0]!}`);
    located.push({ entry: item.entry, path: item.entry.path, split, className: rest[0]! });
  }
  return { located, folders, splitMode, testName };
}

/**
 * The per-class held-out split: which of a class's `n` images (sorted by path) go to the test
 * split: the first max(1, round(0.2·n)) of a permutation seeded by deriveSeed(seed,
 * `images:test:<class>`); none of a class of one image.
 */
export function heldOutIndices(n: number, className: string, seed = 0): Set<number> {
  const count = n > 1 ? Math.max(1, Math.round(HELD_OUT_FRACTION * n)) : 0;
  const order = permutation(n, makeRng(deriveSeed(seed, `images:test:${className}`)));
  return new Set(order.slice(0, count));
}

/**
 * Resizes one image to `size` x `size` (the aspect ratio is not kept: the image is stretched
 * to the square), separably, per axis of input length N and output length S:
 * - shrinking (N >= S), the area average (box filter): output pixel i covers the input interval
 *   [i·N/S, (i+1)·N/S); out_i = (S/N) Σ_k |[k, k+1) ∩ [i·N/S, (i+1)·N/S)| · in_k;
 * - growing (N < S), bilinear with pixel centres at half-integers: x = (i + ½)·N/S − ½ clamped
 *   to [0, N−1], out_i = (1 − t)·in_⌊x⌋ + t·in_min(⌊x⌋+1, N−1), t = x − ⌊x⌋.
 * Grey is 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), taken before resizing (both are linear,
 * so the order does not matter). Every value is rounded once, at the end, to the nearest byte
 * (halves up). Returns size·size·channels bytes, row-major, channels innermost.
 */
export function resizeImage(
  image: DecodedImage,
  size: number,
  channels: ImageChannels,
): Uint8Array {
  const { width, height, rgba } = image;
  const c = channels === 'grey' ? 1 : 3;
  const plane = new Float64Array(width * height * c);
  for (let p = 0; p < width * height; p++) {
    const r = rgba[4 * p]!;
    const g = rgba[4 * p + 1]!;
    const b = rgba[4 * p + 2]!;
    if (c === 1) plane[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      plane[3 * p] = r;
      plane[3 * p + 1] = g;
      plane[3 * p + 2] = b;
    }
  }
  const wy = axisWeights(height, size);
  const wx = axisWeights(width, size);
  // Rows first: height x size x c, then columns: size x size x c.
  const rows = new Float64Array(height * size * c);
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < size; j++) {
      for (const [k, w] of wx[j]!) {
        for (let ch = 0; ch < c; ch++) {
          rows[(y * size + j) * c + ch]! += w * plane[(y * width + k) * c + ch]!;
        }
      }
    }
  }
  const out = new Uint8Array(size * size * c);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      for (let ch = 0; ch < c; ch++) {
        let v = 0;
        for (const [k, w] of wy[i]!) v += w * rows[(k * size + j) * c + ch]!;
        out[(i * size + j) * c + ch] = Math.min(255, Math.max(0, Math.floor(v + 0.5)));
      }
    }
  }
  return out;
}

/** The weights of one axis, N inputs to S outputs: per output, [input index, weight] pairs. */
export function axisWeights(n: number, s: number): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i < s; i++) {
    const pairs: [number, number][] = [];
    if (n >= s) {
      const lo = (i * n) / s;
      const hi = ((i + 1) * n) / s;
      for (let k = Math.floor(lo); k < Math.min(n, Math.ceil(hi)); k++) {
        const overlap = Math.min(k + 1, hi) - Math.max(k, lo);
        if (overlap > 0) pairs.push([k, (overlap * s) / n]);
      }
    } else {
      const x = Math.min(n - 1, Math.max(0, ((i + 0.5) * n) / s - 0.5));
      const k0 = Math.floor(x);
      const t = x - k0;
      const k1 = Math.min(k0 + 1, n - 1);
      if (k1 === k0 || t === 0) pairs.push([k0, 1]);
      else pairs.push([k0, 1 - t], [k1, t]);
    }
    out.push(pairs);
  }
  return out;
}

/** What readImageFolder found besides the pixels: class names and where the test split came from. */
export interface ImageFolderInfo {
  classNames: string[];
  /** The test split's folder (`test`, `val`, `valid`), or null: held out from each class. */
  testFolder: string | null;
}

/**
 * The data set of an image folder (see the header), every image decoded by `decode`, resized
 * and converted by resizeImage. Errors in words: no images, a file that is not an image (named),
 * fewer than 2 classes, an empty class, a test class with no training images, more than
 * MAX_FOLDER_IMAGES images. `fileName`: what the user opened, for the messages.
 */
export async function readImageFolder(
  entries: readonly FolderEntry[],
  decode: ImageDecoder,
  options: ImageFolderOptions,
  fileName = 'The folder',
): Promise<ImageDataset & ImageFolderInfo> {
  const { size, channels } = options;
  const c = channels === 'grey' ? 1 : 3;
  const { located, folders, splitMode, testName } = locate(entries, fileName);
  if (located.length === 0) {
    throw new Error(
      `${fileName} holds no images: the lab reads PNG and JPEG files (.png, .jpg, .jpeg) in ` +
        'class folders (<class>/<image>, or train/<class>/ and test/<class>/).',
    );
  }
  if (located.length > MAX_FOLDER_IMAGES) {
    throw new Error(
      `${fileName} holds ${plural(located.length, 'image')}: the lab reads at most ` +
        `${plural(MAX_FOLDER_IMAGES, 'image')} (every pixel is kept in memory).`,
    );
  }
  const trainClasses = [
    ...new Set(located.filter((l) => l.split !== 'test').map((l) => l.className)),
  ].sort();
  for (const folder of folders) {
    const [split, name] = folder.split('/') as [string, string];
    if (!located.some((l) => (l.split ?? '') === split && l.className === name)) {
      const where = split ? `${split === 'test' ? testName! : split}/${name}` : name;
      throw new Error(`${fileName}: the class folder ${where} holds no images.`);
    }
  }
  if (trainClasses.length < 2) {
    throw new Error(
      `${fileName} has ${trainClasses.length === 1 ? `only one class (${trainClasses[0]!})` : 'no training class'}: ` +
        'a classification needs at least 2 class folders.',
    );
  }
  const label = new Map(trainClasses.map((name, i) => [name, i]));
  for (const l of located) {
    if (!label.has(l.className)) {
      throw new Error(
        `${fileName}: the test class ${l.className} (${testName}/${l.className}) has no ` +
          `training images (the training classes: ${trainClasses.join(', ')}).`,
      );
    }
  }
  if (trainClasses.length > 256) {
    throw new Error(
      `${fileName} has ${plural(trainClasses.length, 'class')}: the lab keeps labels in a byte, ` +
        'at most 256 classes.',
    );
  }
  // Each class's images in path order; the test split is the test folder, or held out.
  const byPath = (a: Located, b: Located) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const train: Located[] = [];
  const test: Located[] = [];
  for (const name of trainClasses) {
    const own = located.filter((l) => l.className === name).sort(byPath);
    if (testName) {
      train.push(...own.filter((l) => l.split === 'train'));
      test.push(...own.filter((l) => l.split === 'test'));
    } else {
      const held = heldOutIndices(own.length, name, options.splitSeed ?? 0);
      own.forEach((l, i) => (held.has(i) ? test : train).push(l));
    }
  }
  if (test.length === 0) {
    throw new Error(
      `${fileName}: the test split holds no images (${testName ? `${testName}/ is empty` : 'every class has a single image'}).`,
    );
  }
  const pixels = size * size * c;
  let done = 0;
  const total = train.length + test.length;
  const read = async (items: Located[]): Promise<ImageSplit> => {
    const images = new Uint8Array(items.length * pixels);
    const labels = new Uint8Array(items.length);
    for (let n = 0; n < items.length; n++) {
      const item = items[n]!;
      let decoded: DecodedImage;
      try {
        decoded = await decode(item.entry.bytes, item.path);
      } catch (error) {
        throw new Error(
          `${fileName}: ${item.path} is not an image the lab can read (PNG or JPEG): ` +
            `${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}.`,
          { cause: error },
        );
      }
      if (decoded.width < 1 || decoded.height < 1) {
        throw new Error(`${fileName}: ${item.path} is an image of no pixels.`);
      }
      images.set(resizeImage(decoded, size, channels), n * pixels);
      labels[n] = label.get(item.className)!;
      done += 1;
      if (done % 64 === 0 || done === total) options.onProgress?.(done / total);
    }
    return { images, labels, count: items.length };
  };
  const trainSplit = await read(train);
  const testSplit = await read(test);
  const { mean, std } = channelStats(trainSplit.images, c);
  const all = channelStats(trainSplit.images, 1);
  return {
    name: 'images',
    imageShape: [size, size, c],
    numClasses: trainClasses.length,
    mean: all.mean[0]!,
    std: all.std[0]!,
    channelMean: mean,
    channelStd: std,
    classNames: trainClasses,
    testFolder: splitMode ? (testName ?? null) : null,
    train: trainSplit,
    test: testSplit,
  };
}
