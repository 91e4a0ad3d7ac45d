/**
 * A set of the MNIST family from the user's own four IDX files (MNIST, Fashion-MNIST, KMNIST,
 * EMNIST...; each .gz or raw, under any name): which file is which is read from the files
 * themselves — images have 3 dimensions and labels 1, the training split is the larger — so
 * `emnist-letters-train-images-idx3-ubyte.gz` works as well as `train-images-idx3-ubyte`. The
 * class count is the largest label + 1; normalisation is the training pixels' own mean and std.
 * No DOM.
 */
import { idxDatasetFromFiles, type ImageDataset, type MnistFiles } from './dataset';
import { parseIdx } from './idx';

export interface NamedBytes {
  name: string;
  /** Uncompressed. */
  bytes: Uint8Array;
}

/** Whether `bytes` start like an IDX file of unsigned bytes (0, 0, 0x08, ndim). */
export const looksLikeIdx = (bytes: Uint8Array) =>
  bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08 && bytes[3]! > 0;

/** The four IDX files, told apart by their shapes; throws in words when they are not four such. */
export function idxSetFromFiles(files: readonly NamedBytes[], name = 'idx'): ImageDataset {
  const parsed = files.map((f) => {
    if (!looksLikeIdx(f.bytes)) throw new Error(`${f.name} is not an IDX file of unsigned bytes.`);
    let idx;
    try {
      idx = parseIdx(f.bytes);
    } catch (error) {
      throw new Error(`${f.name}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return { ...f, dims: idx.dims };
  });
  const images = parsed.filter((f) => f.dims.length === 3).sort((a, b) => b.dims[0]! - a.dims[0]!);
  const labels = parsed.filter((f) => f.dims.length === 1).sort((a, b) => b.dims[0]! - a.dims[0]!);
  if (files.length !== 4 || images.length !== 2 || labels.length !== 2) {
    throw new Error(
      `Open the four IDX files together (training and test images, training and test labels); ` +
        `got ${files.length} file${files.length === 1 ? '' : 's'}: ${images.length} of images, ` +
        `${labels.length} of labels.`,
    );
  }
  const idx: MnistFiles = {
    trainImages: images[0]!.bytes,
    testImages: images[1]!.bytes,
    trainLabels: labels[0]!.bytes,
    testLabels: labels[1]!.bytes,
  };
  let maxLabel = 0;
  for (const l of [idx.trainLabels, idx.testLabels]) {
    const data = parseIdx(l).data;
    for (let i = 0; i < data.length; i++) if (data[i]! > maxLabel) maxLabel = data[i]!;
  }
  const pixels = parseIdx(idx.trainImages).data;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < pixels.length; i++) {
    sum += pixels[i]!;
    sumSq += pixels[i]! * pixels[i]!;
  }
  const mean = sum / pixels.length / 255;
  const std = Math.sqrt(Math.max(sumSq / pixels.length / 255 ** 2 - mean ** 2, 1e-12));
  return idxDatasetFromFiles(idx, { name, numClasses: maxLabel + 1, mean, std });
}
