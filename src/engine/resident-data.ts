/**
 * Training data kept on the device (for the GPU backends): each split is uploaded once as
 * int32 words holding three pixels each (p0 + 256 p1 + 65536 p2 < 2^24, so WebGL's float
 * storage of int32 stays exact), about 63 MB for MNIST's training set. A batch is then a
 * gather by index on the device — only the batch's indices cross to it — unpacked with
 * floorDiv/mod and normalised to (x/255 - mean)/std: fillBatch's numbers, to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { normalisation, type ImageDataset, type ImageSplit } from '../data/dataset';

/** Pixels per packed word. */
const PACK = 3;

export class ResidentSplit {
  private readonly packed: tf.Tensor2D;
  private readonly labels: tf.Tensor1D;
  private readonly size: number;

  constructor(
    private readonly dataset: ImageDataset,
    split: ImageSplit,
  ) {
    const [h, w, c] = dataset.imageShape;
    this.size = h * w * c;
    const words = Math.ceil(this.size / PACK);
    const packed = new Int32Array(split.count * words);
    for (let n = 0; n < split.count; n++) {
      const image = n * this.size;
      for (let k = 0; k < words; k++) {
        const p = image + k * PACK;
        const end = image + this.size;
        const a = split.images[p]!;
        const b = p + 1 < end ? split.images[p + 1]! : 0;
        const d = p + 2 < end ? split.images[p + 2]! : 0;
        packed[n * words + k] = a + 256 * b + 65536 * d;
      }
    }
    this.packed = tf.tensor2d(packed, [split.count, words], 'int32');
    this.labels = tf.tensor1d(Int32Array.from(split.labels), 'int32');
  }

  /** The normalised images and labels of `indices`, as device tensors (caller disposes). */
  batch(indices: Int32Array): { x: tf.Tensor4D; y: tf.Tensor1D } {
    const { dataset, size } = this;
    const [h, w, c] = dataset.imageShape;
    const n = indices.length;
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const words = tf.gather(this.packed, idx); // [n, words]
      const base = tf.scalar(256, 'int32');
      const p0 = tf.mod(words, base);
      const rest = tf.floorDiv(words, base);
      const p1 = tf.mod(rest, base);
      const p2 = tf.floorDiv(rest, base);
      const pixels = tf
        .stack([p0, p1, p2], 2)
        .reshape([n, -1])
        .slice([0, 0], [n, size])
        .cast('float32');
      // Per channel (the last axis): x * scale[c] - shift[c].
      const { scale, shift } = normalisation(dataset);
      const x = pixels
        .reshape([n, h, w, c])
        .mul(tf.tensor1d(scale))
        .sub(tf.tensor1d(shift)) as tf.Tensor4D;
      return { x, y: tf.gather(this.labels, idx) as tf.Tensor1D };
    });
  }

  dispose(): void {
    this.packed.dispose();
    this.labels.dispose();
  }
}

/** Both splits on the device. */
export class ResidentDataset {
  readonly train: ResidentSplit;
  readonly test: ResidentSplit;
  constructor(dataset: ImageDataset) {
    this.train = new ResidentSplit(dataset, dataset.train);
    this.test = new ResidentSplit(dataset, dataset.test);
  }
  dispose(): void {
    this.train.dispose();
    this.test.dispose();
  }
}

/** Whether the current backend gains from device-resident data (a GPU behind a bus). */
export function prefersResidentData(backend = tf.getBackend()): boolean {
  return backend === 'webgl' || backend === 'webgpu';
}
