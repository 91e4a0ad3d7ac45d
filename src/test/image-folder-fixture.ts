/**
 * A tiny image folder in the ImageFolder layout, generated: `classes` class folders (`circle`,
 * `square`, `triangle`, ...) of `perClass` PNGs each, 10 wide and 12 high (pngjs), and one JPEG
 * (jpeg-js, quality 95) in the first class; either `<class>/<n>.png` ('flat') or
 * `train/<class>/` and `test/<class>/` ('split', `testPerClass` PNGs each in test/). Pixel
 * (class k, image n, x, y, channel ch) = pixelAt(...): channel k bright, the others dim, so a
 * class is told by its colour. Zipped by fflate's zipSync. Node only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { FolderEntry } from '../data/image-folder';

export const FIXTURE_WIDTH = 10;
export const FIXTURE_HEIGHT = 12;
export const FIXTURE_CLASSES = ['circle', 'square', 'triangle', 'star', 'moon'];

export const pixelAt = (k: number, n: number, x: number, y: number, ch: number) =>
  ch === k % 3 ? 180 + ((7 * n + 5 * x + 3 * y) % 70) : (11 * x + 17 * y + 13 * n + 29 * ch) % 90;

/** The RGBA pixels of image n of class k (alpha 255). */
export function fixtureRgba(k: number, n: number, width = FIXTURE_WIDTH, height = FIXTURE_HEIGHT) {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < 3; ch++) rgba[(y * width + x) * 4 + ch] = pixelAt(k, n, x, y, ch);
      rgba[(y * width + x) * 4 + 3] = 255;
    }
  }
  return rgba;
}

export function pngBytes(rgba: Uint8Array, width = FIXTURE_WIDTH, height = FIXTURE_HEIGHT) {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

export function jpegBytes(rgba: Uint8Array, width = FIXTURE_WIDTH, height = FIXTURE_HEIGHT) {
  return new Uint8Array(encodeJpeg({ data: rgba, width, height }, 95).data);
}

export interface FixtureOptions {
  layout?: 'flat' | 'split';
  classes?: number;
  perClass?: number;
  testPerClass?: number;
  /** A folder every path lies in (as a zip of a folder has), or none. */
  root?: string;
  /** Adds the JPEG `<first class>/photo.jpg` (default true). */
  jpeg?: boolean;
}

/** The folder's files as {path, bytes}; images n = 0.. in each class (test images after). */
export function fixtureEntries(options: FixtureOptions = {}): FolderEntry[] {
  const { layout = 'flat', classes = 3, perClass = 6, testPerClass = 2, root = '' } = options;
  const prefix = root ? `${root}/` : '';
  const entries: FolderEntry[] = [];
  for (let k = 0; k < classes; k++) {
    const name = FIXTURE_CLASSES[k]!;
    const trainDir = layout === 'split' ? `${prefix}train/${name}` : `${prefix}${name}`;
    for (let n = 0; n < perClass; n++) {
      entries.push({ path: `${trainDir}/${n}.png`, bytes: pngBytes(fixtureRgba(k, n)) });
    }
    if (k === 0 && options.jpeg !== false) {
      entries.push({ path: `${trainDir}/photo.jpg`, bytes: jpegBytes(fixtureRgba(k, 99)) });
    }
    if (layout === 'split') {
      for (let n = 0; n < testPerClass; n++) {
        entries.push({
          path: `${prefix}test/${name}/${n}.png`,
          bytes: pngBytes(fixtureRgba(k, perClass + n)),
        });
      }
    }
  }
  return entries;
}

/** The entries as one zip archive (fflate); a path ending in `/` is a directory. */
export function zipFolder(entries: readonly FolderEntry[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    zipSync(Object.fromEntries(entries.map((e) => [e.path, e.bytes])), { level: 6 }),
  );
}

/** Writes the entries under `dir` as files. */
export function writeFolder(dir: string, entries: readonly FolderEntry[]): void {
  for (const { path, bytes } of entries) {
    if (path.endsWith('/')) {
      mkdirSync(join(dir, path), { recursive: true });
      continue;
    }
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
}
