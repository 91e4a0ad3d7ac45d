/** A data set written as the four gzipped IDX files of the original MNIST, for the PyTorch twin. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ImageDataset, ImageSplit } from '../data/dataset';

/** IDX bytes (the format of the original MNIST files), gzipped. */
function idx(split: ImageSplit, images: boolean): Buffer {
  const dims = images ? [split.count, 28, 28] : [split.count];
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(images ? 0x803 : 0x801, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(images ? split.images : split.labels)]));
}

/** Writes `data` (28 x 28 grey images) to `dir` as train-/t10k-{images,labels}-idx*-ubyte.gz. */
export async function writeIdxFiles(dir: string, data: ImageDataset): Promise<void> {
  await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), idx(data.train, true));
  await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), idx(data.train, false));
  await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), idx(data.test, true));
  await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), idx(data.test, false));
}
