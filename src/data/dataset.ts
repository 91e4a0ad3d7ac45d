/**
 * In-memory image classification data: images as bytes (0..255), labels as class indices.
 * Kept as bytes on the host (a quarter of float32's size); batches are normalised on the way in.
 */
import { parseIdx } from './idx';

export interface ImageSplit {
  /** N * height * width * channels pixel bytes, row-major, one image after another. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface ImageDataset {
  name: string;
  /** [height, width, channels] */
  imageShape: [number, number, number];
  numClasses: number;
  /** Per-pixel normalisation x' = (x/255 - mean) / std. */
  mean: number;
  std: number;
  /**
   * Per-channel normalisation, where the set has it (CIFAR: the training set's own statistics):
   * x' = (x/255 - channelMean[c]) / channelStd[c] for a pixel of channel c, instead of mean/std.
   */
  channelMean?: number[];
  channelStd?: number[];
  train: ImageSplit;
  test: ImageSplit;
  /** Training images held out for validation (src/data/validation.ts), where the run asks. */
  validation?: ImageSplit;
}

/** MNIST's customary normalisation constants (mean and std of training pixels / 255). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** The four MNIST files as their original (uncompressed) IDX bytes. */
export interface MnistFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export const MNIST_FILE_NAMES: Record<keyof MnistFiles, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** What an IDX set of 28x28 grey images is besides its files: name, classes, normalisation. */
export interface IdxSetInfo {
  name: string;
  /** The label bound: every label must be below it. */
  numClasses: number;
  mean: number;
  std: number;
}

function split(
  imagesIdx: Uint8Array,
  labelsIdx: Uint8Array,
  what: string,
  numClasses: number,
): ImageSplit {
  const images = parseIdx(imagesIdx);
  const labels = parseIdx(labelsIdx);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new Error(`${what} images: expected N x 28 x 28, got ${images.dims.join(' x ')}`);
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new Error(`${what} labels: expected ${images.dims[0]} labels, got ${labels.dims[0]}`);
  }
  for (const label of labels.data) {
    if (label >= numClasses) {
      throw new Error(`${what} labels: label ${label} is not a class 0..${numClasses - 1}`);
    }
  }
  return { images: images.data, labels: labels.data, count: images.dims[0]! };
}

/** Assembles a set of the MNIST family (MNIST, Fashion-MNIST) from its four IDX files. */
export function idxDatasetFromFiles(files: MnistFiles, info: IdxSetInfo): ImageDataset {
  return {
    name: info.name,
    imageShape: [28, 28, 1],
    numClasses: info.numClasses,
    mean: info.mean,
    std: info.std,
    train: split(files.trainImages, files.trainLabels, 'Training', info.numClasses),
    test: split(files.testImages, files.testLabels, 'Test', info.numClasses),
  };
}

/** Assembles MNIST from its IDX files. */
export function mnistFromIdx(files: MnistFiles): ImageDataset {
  return idxDatasetFromFiles(files, {
    name: 'mnist',
    numClasses: 10,
    mean: MNIST_MEAN,
    std: MNIST_STD,
  });
}

/**
 * The normalisation as x' = x * scale[c] - shift[c] per channel c: scale = 1 / (255 std),
 * shift = mean / std (one value per channel, the same for every channel without channelMean).
 */
export function normalisation(dataset: ImageDataset): { scale: number[]; shift: number[] } {
  const c = dataset.imageShape[2];
  const mean = dataset.channelMean ?? new Array<number>(c).fill(dataset.mean);
  const std = dataset.channelStd ?? new Array<number>(c).fill(dataset.std);
  return { scale: std.map((s) => 1 / (255 * s)), shift: mean.map((m, i) => m / std[i]!) };
}

/**
 * Writes images `indices[start..start+n)` of `split` into `out` as normalised floats
 * (x/255 - mean)/std (per channel where the set says so), and their labels into `labelsOut`.
 */
export function fillBatch(
  dataset: ImageDataset,
  data: ImageSplit,
  indices: ArrayLike<number>,
  start: number,
  n: number,
  out: Float32Array,
  labelsOut: Int32Array,
): void {
  const [h, w, c] = dataset.imageShape;
  const size = h * w * c;
  const norm = normalisation(dataset);
  if (c === 1 || !dataset.channelMean) {
    const scale = norm.scale[0]!;
    const shift = norm.shift[0]!;
    for (let b = 0; b < n; b++) {
      const index = indices[start + b]!;
      const offset = index * size;
      const base = b * size;
      for (let i = 0; i < size; i++) out[base + i] = data.images[offset + i]! * scale - shift;
      labelsOut[b] = data.labels[index]!;
    }
    return;
  }
  for (let b = 0; b < n; b++) {
    const index = indices[start + b]!;
    const offset = index * size;
    const base = b * size;
    for (let i = 0; i < size; i += c) {
      for (let k = 0; k < c; k++) {
        out[base + i + k] = data.images[offset + i + k]! * norm.scale[k]! - norm.shift[k]!;
      }
    }
    labelsOut[b] = data.labels[index]!;
  }
}
