/**
 * BIMP's validation split: a seeded share of the training set held out (the paper's code keeps
 * 10%), so its accuracy can be reported beside the test accuracy. No DOM.
 */
import type { ImageDataset, ImageSplit } from './dataset';
import { deriveSeed, makeRng, permutation } from './rng';

function pick(split: ImageSplit, indices: Uint32Array, size: number): ImageSplit {
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    images.set(split.images.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = split.labels[index]!;
  });
  return { images, labels, count: indices.length };
}

/**
 * `data` with round(fraction · N) training images, chosen by a permutation seeded by
 * `seed` ('validation'), moved into `validation`; the rest stay in `train`, in their order.
 * A fraction of 0 gives `data` itself.
 */
export function holdOutValidation(
  data: ImageDataset,
  fraction: number,
  seed: number,
): ImageDataset {
  const n = Math.round(fraction * data.train.count);
  if (n <= 0) return data;
  const [h, w, c] = data.imageShape;
  const order = permutation(data.train.count, makeRng(deriveSeed(seed, 'validation')));
  const held = order.slice(0, n).sort();
  const kept = order.slice(n).sort();
  return {
    ...data,
    train: pick(data.train, kept, h * w * c),
    validation: pick(data.train, held, h * w * c),
  };
}
