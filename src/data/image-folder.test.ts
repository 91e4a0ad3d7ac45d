import { describe, expect, it } from 'vitest';
import {
  FIXTURE_HEIGHT,
  FIXTURE_WIDTH,
  fixtureEntries,
  fixtureRgba,
  pngBytes,
  zipFolder,
} from '../test/image-folder-fixture';
import {
  MAX_FOLDER_IMAGES,
  axisWeights,
  heldOutIndices,
  readImageFolder,
  resizeImage,
  type DecodedImage,
  type FolderEntry,
} from './image-folder';
import { decodeImageNode } from './node-image-decode';
import { readUserFiles } from './user-files';

const rgb = { size: 8, channels: 'rgb' as const };
const read = (entries: FolderEntry[]) => readImageFolder(entries, decodeImageNode, rgb, 'tiny.zip');

/** A random-looking image of w x h (RGBA), from a small linear congruential stream. */
function image(w: number, h: number, seed = 1): DecodedImage {
  const rgba = new Uint8Array(w * h * 4);
  let s = seed;
  for (let i = 0; i < rgba.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    rgba[i] = s % 256;
  }
  return { width: w, height: h, rgba };
}

/**
 * The box filter worked out directly: each input pixel repeated S times along both axes (an
 * (N·S) x (N·S) image) and averaged over N x N blocks: exactly the area of each input pixel
 * under each output pixel, independent of resizeImage's weights.
 */
function boxDirect(img: DecodedImage, s: number, ch: number) {
  const { width: w, height: h, rgba } = img;
  return (i: number, j: number) => {
    let sum = 0;
    for (let a = i * h; a < (i + 1) * h; a++) {
      for (let b = j * w; b < (j + 1) * w; b++) {
        sum += rgba[(Math.floor(a / s) * w + Math.floor(b / s)) * 4 + ch]!;
      }
    }
    return sum / (h * w);
  };
}

/** Bilinear interpolation worked out directly, 2-D, at pixel centres (i + ½)·N/S − ½. */
function bilinearDirect(img: DecodedImage, s: number, ch: number) {
  const { width: w, height: h, rgba } = img;
  const at = (y: number, x: number) => rgba[(y * w + x) * 4 + ch]!;
  return (i: number, j: number) => {
    const y = Math.min(h - 1, Math.max(0, ((i + 0.5) * h) / s - 0.5));
    const x = Math.min(w - 1, Math.max(0, ((j + 0.5) * w) / s - 0.5));
    const y0 = Math.floor(y);
    const x0 = Math.floor(x);
    const y1 = Math.min(y0 + 1, h - 1);
    const x1 = Math.min(x0 + 1, w - 1);
    const ty = y - y0;
    const tx = x - x0;
    return (
      (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x1)) +
      ty * ((1 - tx) * at(y1, x0) + tx * at(y1, x1))
    );
  };
}

describe('resizeImage', () => {
  it('shrinks by the area average, as a direct computation (10 x 12 to 8, 5 x 7 to 3)', () => {
    for (const [w, h, s] of [
      [10, 12, 8],
      [5, 7, 3],
      [4, 4, 2],
    ] as const) {
      const img = image(w, h, w * h);
      const out = resizeImage(img, s, 'rgb');
      expect(out.length).toBe(s * s * 3);
      for (let ch = 0; ch < 3; ch++) {
        const direct = boxDirect(img, s, ch);
        for (let i = 0; i < s; i++) {
          for (let j = 0; j < s; j++) {
            expect(Math.abs(out[(i * s + j) * 3 + ch]! - direct(i, j))).toBeLessThanOrEqual(0.5);
          }
        }
      }
    }
    // 2x2 blocks of a 4x4 image: plain means, rounded half up.
    const flat = {
      width: 2,
      height: 2,
      rgba: Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0),
    };
    expect([...resizeImage(flat, 1, 'rgb')]).toEqual([2, 0, 0]); // (1+2+2+2)/4 = 1.75
  });

  it('grows bilinearly, as a direct computation (10 x 12 to 16, 3 x 2 to 5)', () => {
    for (const [w, h, s] of [
      [10, 12, 16],
      [3, 2, 5],
    ] as const) {
      const img = image(w, h, 7);
      const out = resizeImage(img, s, 'rgb');
      for (let ch = 0; ch < 3; ch++) {
        const direct = bilinearDirect(img, s, ch);
        for (let i = 0; i < s; i++) {
          for (let j = 0; j < s; j++) {
            expect(Math.abs(out[(i * s + j) * 3 + ch]! - direct(i, j))).toBeLessThanOrEqual(0.5);
          }
        }
      }
    }
  });

  it('keeps an image of the same size as it is, and its axis weights sum to 1', () => {
    const img = image(6, 6, 3);
    const out = resizeImage(img, 6, 'rgb');
    for (let p = 0; p < 36; p++) {
      for (let ch = 0; ch < 3; ch++) expect(out[p * 3 + ch]).toBe(img.rgba[p * 4 + ch]);
    }
    for (const [n, s] of [
      [12, 8],
      [10, 11],
      [7, 3],
      [2, 9],
    ]) {
      for (const pairs of axisWeights(n!, s!)) {
        expect(pairs.reduce((sum, [, w]) => sum + w, 0)).toBeCloseTo(1, 12);
      }
    }
  });

  it('makes grey round(0.299 R + 0.587 G + 0.114 B)', () => {
    const img = image(5, 5, 11);
    const out = resizeImage(img, 5, 'grey');
    expect(out.length).toBe(25);
    for (let p = 0; p < 25; p++) {
      const [r, g, b] = [0, 1, 2].map((ch) => img.rgba[p * 4 + ch]!);
      expect(out[p]).toBe(Math.round(0.299 * r! + 0.587 * g! + 0.114 * b!));
    }
  });
});

describe('readImageFolder', () => {
  it('reads a zipped folder of class folders: classes sorted, labels, size, held-out 20%', async () => {
    const zip = zipFolder(fixtureEntries());
    const progress: number[] = [];
    const data = await readUserFiles(
      [{ name: 'tiny.zip', blob: new Blob([zip]) }],
      (f) => progress.push(f),
      { decode: decodeImageNode, ...rgb },
    );
    expect(data.name).toBe('images');
    expect(data.numClasses).toBe(3);
    expect(data.imageShape).toEqual([8, 8, 3]);
    expect((data as { classNames?: string[] }).classNames).toEqual([
      'circle',
      'square',
      'triangle',
    ]);
    // circle: 6 PNGs and a JPEG (7, one held out); square and triangle: 6 (one held out each).
    expect(data.train.count).toBe(6 + 5 + 5);
    expect(data.test.count).toBe(3);
    expect([...data.train.labels]).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect([...data.test.labels]).toEqual([0, 1, 2]);
    expect(data.train.images.length).toBe(16 * 64 * 3);
    expect(progress.at(-1)).toBe(1);
    // Each image is its PNG resized: the square class's, path order minus the held-out one.
    const held = heldOutIndices(6, 'square');
    const kept = [0, 1, 2, 3, 4, 5].filter((n) => !held.has(n));
    const first = resizeImage(
      { width: FIXTURE_WIDTH, height: FIXTURE_HEIGHT, rgba: fixtureRgba(1, kept[0]!) },
      8,
      'rgb',
    );
    expect([...data.train.images.subarray(6 * 192, 7 * 192)]).toEqual([...first]);
    // Normalised per channel by the training split's own statistics.
    expect(data.channelMean).toHaveLength(3);
    expect(data.channelMean![1]).toBeGreaterThan(data.channelMean![0]! - 1);
  });

  it('reads train/ and test/ (under a root folder), in grey, the JPEG among them', async () => {
    const data = await readImageFolder(
      fixtureEntries({ layout: 'split', root: 'shapes' }),
      decodeImageNode,
      { size: 16, channels: 'grey' },
    );
    expect(data.imageShape).toEqual([16, 16, 1]);
    expect(data.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(data.testFolder).toBe('test');
    expect(data.train.count).toBe(7 + 6 + 6);
    expect(data.test.count).toBe(6);
    expect([...data.test.labels]).toEqual([0, 0, 1, 1, 2, 2]);
    const expected = resizeImage(
      { width: FIXTURE_WIDTH, height: FIXTURE_HEIGHT, rgba: fixtureRgba(2, 7) },
      16,
      'grey',
    );
    expect([...data.test.images.subarray(5 * 256)]).toEqual([...expected]);
    // The JPEG (circle/photo.jpg, last in path order) decodes close to its pixels.
    const jpeg = data.train.images.subarray(6 * 256, 7 * 256);
    const exact = resizeImage(
      { width: FIXTURE_WIDTH, height: FIXTURE_HEIGHT, rgba: fixtureRgba(0, 99) },
      16,
      'grey',
    );
    const worst = Math.max(...[...jpeg].map((v, i) => Math.abs(v - exact[i]!)));
    expect(worst).toBeLessThan(24);
    expect(data.channelMean).toHaveLength(1);
  });

  it('takes val/ for the test split, and holds out from train/ alone', async () => {
    const entries = fixtureEntries({ layout: 'split', jpeg: false }).map((e) => ({
      ...e,
      path: e.path.replace(/^test\//, 'val/'),
    }));
    expect((await read(entries)).testFolder).toBe('val');
    const trainOnly = entries.filter((e) => e.path.startsWith('train/'));
    const data = await read(trainOnly);
    expect(data.testFolder).toBeNull();
    expect([data.train.count, data.test.count]).toEqual([15, 3]);
  });

  it('holds out the same images for the same seed, others for another', () => {
    expect([...heldOutIndices(50, 'cat', 3)]).toEqual([...heldOutIndices(50, 'cat', 3)]);
    expect([...heldOutIndices(50, 'cat', 3)]).not.toEqual([...heldOutIndices(50, 'cat', 4)]);
    expect(heldOutIndices(50, 'cat').size).toBe(10);
    expect(heldOutIndices(1, 'cat').size).toBe(0);
  });

  it('ignores hidden files, a README beside the classes and macOS folders', async () => {
    const entries = [
      ...fixtureEntries({ jpeg: false }),
      { path: 'README.txt', bytes: new Uint8Array(3) },
      { path: 'circle/.DS_Store', bytes: new Uint8Array(3) },
      { path: '__MACOSX/circle/._0.png', bytes: new Uint8Array(3) },
    ];
    expect((await read(entries)).train.count).toBe(15);
  });

  it('refuses in words what it cannot use', async () => {
    const png = pngBytes(fixtureRgba(0, 0));
    const two = [
      { path: 'cat/1.png', bytes: png },
      { path: 'dog/1.png', bytes: png },
      { path: 'dog/2.png', bytes: png },
    ];
    await expect(read([{ path: 'README.txt', bytes: png }])).rejects.toThrow(
      'tiny.zip holds no images: the lab reads PNG and JPEG files',
    );
    await expect(read([...two, { path: 'cat/notes.txt', bytes: png }])).rejects.toThrow(
      'tiny.zip: cat/notes.txt is not an image: the lab reads PNG and JPEG files',
    );
    await expect(
      read([...two, { path: 'cat/broken.png', bytes: new TextEncoder().encode('not a png') }]),
    ).rejects.toThrow('tiny.zip: cat/broken.png is not an image the lab can read (PNG or JPEG)');
    await expect(read(two.slice(1))).rejects.toThrow(
      'tiny.zip has only one class (dog): a classification needs at least 2 class folders.',
    );
    await expect(read([...two, { path: 'emu/', bytes: new Uint8Array() }])).rejects.toThrow(
      'tiny.zip: the class folder emu holds no images.',
    );
    await expect(
      read([
        ...two.map((e) => ({ ...e, path: `train/${e.path}` })),
        { path: 'test/cat/1.png', bytes: png },
        { path: 'test/emu/1.png', bytes: png },
      ]),
    ).rejects.toThrow('tiny.zip: the test class emu (test/emu) has no training images');
    await expect(read([...two, { path: 'stray.png', bytes: png }])).rejects.toThrow(
      'tiny.zip: stray.png is not in a class folder',
    );
    const many = Array.from({ length: MAX_FOLDER_IMAGES + 1 }, (_, i) => ({
      path: `c${i % 2}/${i}.png`,
      bytes: png,
    }));
    await expect(read(many)).rejects.toThrow(
      'tiny.zip holds 100,001 images: the lab reads at most 100,000 images',
    );
    await expect(
      readUserFiles(
        [{ name: 'cut.zip', blob: new Blob([zipFolder(two).subarray(0, 40)]) }],
        () => {},
        {
          decode: decodeImageNode,
          ...rgb,
        },
      ),
    ).rejects.toThrow('cut.zip could not be unpacked');
  });
});
