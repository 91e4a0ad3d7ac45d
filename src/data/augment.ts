/**
 * BIMP's training augmentation for CIFAR (torchvision's RandomCrop(32, padding=4) then
 * RandomHorizontalFlip, before Normalize), on a batch of normalised height x width x channel
 * images, in place, seeded. No DOM, no tfjs.
 */
import type { Rng } from './rng';

/** The zero padding on each side of the crop. */
export const CROP_PADDING = 4;

/**
 * For each of the `n` images in `batch`: pick a crop offset (oy, ox), each uniform in
 * 0..2·pad, of the image padded by `pad` zero pixels on every side, and mirror it left-right
 * with probability 1/2: out(y, x) = in(y + oy − pad, x' + ox − pad), x' = x or w − 1 − x, and
 * `padValue[c]` where that lies outside the image (a 0 pixel after normalisation, −mean/std).
 * Draws three numbers per image from `rng` (oy, ox, flip), in that order.
 */
export function augmentBatch(
  batch: Float32Array,
  n: number,
  shape: readonly [number, number, number],
  padValue: readonly number[],
  rng: Rng,
  pad = CROP_PADDING,
): void {
  const [h, w, c] = shape;
  const size = h * w * c;
  const image = new Float32Array(size);
  for (let b = 0; b < n; b++) {
    const oy = Math.floor(rng() * (2 * pad + 1)) - pad;
    const ox = Math.floor(rng() * (2 * pad + 1)) - pad;
    const flip = rng() < 0.5;
    const base = b * size;
    image.set(batch.subarray(base, base + size));
    for (let y = 0; y < h; y++) {
      const sy = y + oy;
      for (let x = 0; x < w; x++) {
        const sx = (flip ? w - 1 - x : x) + ox;
        const to = base + (y * w + x) * c;
        if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
          for (let k = 0; k < c; k++) batch[to + k] = padValue[k]!;
        } else {
          const from = (sy * w + sx) * c;
          for (let k = 0; k < c; k++) batch[to + k] = image[from + k]!;
        }
      }
    }
  }
}
