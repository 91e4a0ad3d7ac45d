/**
 * BIMP's CIFAR augmentation (random crop from a 4-pixel zero padding, horizontal flip), checked
 * pixel by pixel against the definition on a small image, with chosen draws.
 */
import { describe, expect, it } from 'vitest';
import { augmentBatch } from './augment';
import { makeRng } from './rng';

/** A 6x5 image, 2 channels: value 100·c + 10·y + x. */
const H = 6;
const W = 5;
const C = 2;
const image = () => {
  const out = new Float32Array(H * W * C);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) out[(y * W + x) * C + c] = 100 * c + 10 * y + x;
  return out;
};
const at = (a: Float32Array, y: number, x: number, c: number) => a[(y * W + x) * C + c];
/** An rng that returns `values` in turn. */
const draws = (...values: number[]) => {
  let i = 0;
  return () => values[i++]!;
};
const PAD = [-1, -2];

describe('augmentBatch', () => {
  it('crops at the drawn offset, padding with the normalised zero, and flips on a draw < 1/2', () => {
    // oy: floor(0.0 * 9) - 4 = -4 (shift down by 4), ox: floor(0.7 * 9) - 4 = 2, no flip.
    const a = image();
    augmentBatch(a, 1, [H, W, C], PAD, draws(0.0, 0.7, 0.9));
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const sy = y - 4;
        const sx = x + 2;
        const inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
        for (let c = 0; c < C; c++)
          expect(at(a, y, x, c)).toBe(inside ? 100 * c + 10 * sy + sx : PAD[c]);
      }
    }
    // Centre crop (0.5 · 9 = 4.5 -> 4 - 4 = 0), flipped: a mirror image.
    const b = image();
    augmentBatch(b, 1, [H, W, C], PAD, draws(0.5, 0.5, 0.1));
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < C; c++) expect(at(b, y, x, c)).toBe(100 * c + 10 * y + (W - 1 - x));
  });

  it('draws three numbers per image, so a seed gives the same batch', () => {
    const batch = () => {
      const out = new Float32Array(3 * H * W * C);
      for (let n = 0; n < 3; n++) out.set(image(), n * H * W * C);
      return out;
    };
    const a = batch();
    const b = batch();
    augmentBatch(a, 3, [H, W, C], PAD, makeRng(7));
    augmentBatch(b, 3, [H, W, C], PAD, makeRng(7));
    expect(a).toEqual(b);
    let count = 0;
    augmentBatch(batch(), 3, [H, W, C], PAD, () => (count++, 0.3));
    expect(count).toBe(9);
  });
});
