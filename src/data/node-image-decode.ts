/**
 * The image decoder of Node (the CLI, vitest): pure-JS PNG (pngjs) and JPEG (jpeg-js), told
 * apart by their first bytes, to RGBA at the image's own size. The browser decodes with
 * createImageBitmap instead (src/worker/image-decode.ts). pngjs needs Node's zlib: never import
 * this from the app.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { DecodedImage } from './image-folder';

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

/** Decodes a PNG or JPEG file's bytes; throws in words for anything else or a damaged file. */
export function decodeImageNode(bytes: Uint8Array): DecodedImage {
  if (isPng(bytes)) {
    // pngjs scales 16-bit PNGs to 8 bits and expands palettes and grey to RGBA, as a browser.
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
  }
  if (isJpeg(bytes)) {
    const jpeg = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 1024,
    });
    return { width: jpeg.width, height: jpeg.height, rgba: jpeg.data };
  }
  throw new Error('its bytes are neither PNG nor JPEG data');
}
