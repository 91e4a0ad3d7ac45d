/**
 * The browser's image decoder for src/data/image-folder.ts: createImageBitmap (PNG, JPEG, as
 * the browser decodes them, without colour-space conversion or premultiplied alpha) drawn on an
 * OffscreenCanvas of the image's own size, read back as RGBA. Runs in the engine worker (no
 * DOM: OffscreenCanvas is a worker global). Node decodes with pngjs and jpeg-js instead.
 */
import type { DecodedImage } from '../data/image-folder';

export async function decodeImageBrowser(bytes: Uint8Array): Promise<DecodedImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser gives the worker no 2D canvas');
    context.drawImage(bitmap, 0, 0);
    return { width, height, rgba: context.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}
