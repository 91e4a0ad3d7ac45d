/**
 * CIFAR-10 and CIFAR-100, the "binary version" archives exactly as distributed (Krizhevsky
 * 2009, https://www.cs.toronto.edu/~kriz/cifar.html):
 * - `cifar-10-binary.tar.gz`: `cifar-10-batches-bin/data_batch_1..5.bin` (training, 10,000
 *   records each) and `test_batch.bin`; a record is 1 label byte then 3,072 pixel bytes, the
 *   red, green and blue 32x32 planes one after another (row-major in each);
 * - `cifar-100-binary.tar.gz`: `cifar-100-binary/train.bin` (50,000) and `test.bin` (10,000);
 *   a record is 2 label bytes, coarse (20 superclasses) then fine (100 classes), then the same
 *   3,072 bytes. The lab trains on the fine labels.
 * Either the .tar.gz (or .tar) itself or the files of its unpacked folder. Images are stored
 * as the lab keeps every set, height x width x channels, and normalised per channel by the
 * training set's own mean and std. Gunzip is the platform's DecompressionStream (browsers,
 * workers, Node 18+); tar is src/data/tar.ts. No DOM.
 */
import type { ImageDataset, ImageSplit } from './dataset';
import { TarError, TarReader } from './tar';

export type CifarKind = 'cifar10' | 'cifar100';

interface CifarLayout {
  label: string;
  archive: string;
  train: string[];
  test: string[];
  /** Label bytes before the pixels; the last of them is the label the lab uses. */
  labelBytes: number;
  classes: number;
}

export const CIFAR_LAYOUTS: Record<CifarKind, CifarLayout> = {
  cifar10: {
    label: 'CIFAR-10',
    archive: 'cifar-10-binary.tar.gz',
    train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
    test: ['test_batch.bin'],
    labelBytes: 1,
    classes: 10,
  },
  cifar100: {
    label: 'CIFAR-100',
    archive: 'cifar-100-binary.tar.gz',
    train: ['train.bin'],
    test: ['test.bin'],
    labelBytes: 2,
    classes: 100,
  },
};

const PIXELS = 32 * 32 * 3;
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const memberNames = (layout: CifarLayout) => [...layout.train, ...layout.test];
const plural = (n: number) => n.toLocaleString('en-US');

/** Which CIFAR a list of file names is, from its batch files' names; null if neither. */
export function detectCifar(names: readonly string[]): CifarKind | null {
  const bases = new Set(names.map(baseName));
  if (bases.has('data_batch_1.bin') || bases.has('test_batch.bin')) return 'cifar10';
  if (bases.has('train.bin') || bases.has('test.bin')) return 'cifar100';
  return null;
}

function records(kind: CifarKind, name: string, bytes: Uint8Array): number {
  const layout = CIFAR_LAYOUTS[kind];
  const size = layout.labelBytes + PIXELS;
  if (bytes.length === 0 || bytes.length % size !== 0) {
    throw new Error(
      `${name} has ${plural(bytes.length)} bytes, not a whole number of ${layout.label} ` +
        `records (${plural(size)} bytes each): the file is truncated or not ${layout.label}'s ` +
        'binary version.',
    );
  }
  return bytes.length / size;
}

/** One split from its batch files: labels, and pixels turned from planes to HWC. */
function split(kind: CifarKind, names: string[], files: Map<string, Uint8Array>): ImageSplit {
  const layout = CIFAR_LAYOUTS[kind];
  const size = layout.labelBytes + PIXELS;
  const parts = names.map((name) => {
    const bytes = files.get(name);
    if (!bytes) {
      throw new Error(
        `${name} is missing: ${layout.label} needs ${memberNames(layout).join(', ')} ` +
          `(the members of ${layout.archive}).`,
      );
    }
    return { name, bytes, count: records(kind, name, bytes) };
  });
  const count = parts.reduce((sum, p) => sum + p.count, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { name, bytes, count: m } of parts) {
    for (let r = 0; r < m; r++, n++) {
      const record = r * size;
      const label = bytes[record + layout.labelBytes - 1]!;
      if (label >= layout.classes) {
        throw new Error(
          `${name}, record ${r + 1}: label ${label} is not a ${layout.label} class ` +
            `0..${layout.classes - 1}: this is not ${layout.label}'s binary version.`,
        );
      }
      labels[n] = label;
      const pixels = record + layout.labelBytes;
      const out = n * PIXELS;
      for (let p = 0; p < 1024; p++) {
        images[out + 3 * p] = bytes[pixels + p]!;
        images[out + 3 * p + 1] = bytes[pixels + 1024 + p]!;
        images[out + 3 * p + 2] = bytes[pixels + 2048 + p]!;
      }
    }
  }
  return { images, labels, count };
}

/** Per-channel mean and standard deviation of pixels / 255 over HWC images. */
export function channelStats(
  images: Uint8Array,
  channels: number,
): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < images.length; i++) {
    const v = images[i]! / 255;
    sum[i % channels]! += v;
    sumSq[i % channels]! += v * v;
  }
  const n = images.length / channels;
  const mean = [...sum].map((s) => s / n);
  const std = [...sumSq].map((s, c) => Math.sqrt(Math.max(s / n - mean[c]! ** 2, 1e-12)));
  return { mean, std };
}

/** CIFAR from its batch files, by base name (`data_batch_1.bin`, ... or `train.bin`, ...). */
export function cifarFromFiles(kind: CifarKind, files: Map<string, Uint8Array>): ImageDataset {
  const layout = CIFAR_LAYOUTS[kind];
  const train = split(kind, layout.train, files);
  const test = split(kind, layout.test, files);
  const { mean, std } = channelStats(train.images, 3);
  const all = channelStats(train.images, 1);
  return {
    name: kind,
    imageShape: [32, 32, 3],
    numClasses: layout.classes,
    mean: all.mean[0]!,
    std: all.std[0]!,
    channelMean: mean,
    channelStd: std,
    train,
    test,
  };
}

export interface ArchiveProgress {
  /** Bytes of the file read so far, and its size. */
  loadedBytes: number;
  totalBytes: number;
}

/** Gzip's first two bytes. */
async function isGzip(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Reads a CIFAR archive (`.tar.gz` or `.tar`), keeping only its batch files. `kind`: which one
 * is expected (refused if the archive is the other); without it, whichever the archive holds.
 * A wrong file or a damaged archive throws an Error that says so in words.
 */
export async function readCifarArchive(
  archive: Blob,
  fileName: string,
  kind: CifarKind | null = null,
  onProgress: (progress: ArchiveProgress) => void = () => {},
): Promise<ImageDataset> {
  const wanted = new Set([
    ...memberNames(CIFAR_LAYOUTS.cifar10),
    ...memberNames(CIFAR_LAYOUTS.cifar100),
  ]);
  const tar = new TarReader((name) => wanted.has(baseName(name)));
  const totalBytes = archive.size;
  let loadedBytes = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loadedBytes += chunk.length;
      onProgress({ loadedBytes, totalBytes });
      controller.enqueue(chunk);
    },
  });
  const gz = await isGzip(archive);
  const counted = archive.stream().pipeThrough(counter);
  const stream: ReadableStream<Uint8Array> = gz
    ? counted.pipeThrough(
        new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>,
      )
    : counted;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      tar.push(value);
    }
  } catch (error) {
    if (error instanceof TarError) {
      throw new Error(`${fileName}: ${error.message} It is not a ${expected(kind)} archive.`, {
        cause: error,
      });
    }
    throw new Error(
      `${fileName} could not be unpacked: ${gz ? 'the gzip data is truncated or damaged' : 'it is not a .tar.gz or .tar archive'}.`,
      { cause: error },
    );
  }
  let members;
  try {
    members = tar.end();
  } catch (error) {
    throw new Error(`${fileName}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const found = detectCifar(members.map((m) => m.name));
  if (!found) {
    throw new Error(
      `${fileName} holds no CIFAR batch files: it is not ${expected(kind)} (the binary version, ` +
        `${kind ? CIFAR_LAYOUTS[kind].archive : 'cifar-10-binary.tar.gz or cifar-100-binary.tar.gz'}).`,
    );
  }
  if (kind && found !== kind) {
    throw new Error(
      `${fileName} is ${CIFAR_LAYOUTS[found].label}, not ${CIFAR_LAYOUTS[kind].label}: pick ` +
        `${CIFAR_LAYOUTS[found].label} as the data set, or open ${CIFAR_LAYOUTS[kind].archive}.`,
    );
  }
  return cifarFromFiles(found, new Map(members.map((m) => [baseName(m.name), m.data])));
}

function expected(kind: CifarKind | null): string {
  return kind ? CIFAR_LAYOUTS[kind].label : 'CIFAR-10 or CIFAR-100';
}
