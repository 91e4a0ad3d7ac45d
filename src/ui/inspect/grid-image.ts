/**
 * A grid of cells as a PNG data URL, each cell `scale` × `scale` pixels with no smoothing, to
 * sit in an SVG <image> (so the SVG and PNG exports carry it). Null where the page cannot draw
 * (no 2-D canvas, as under jsdom).
 */
export function gridImage(
  rows: number,
  cols: number,
  scale: number,
  colour: (cell: number) => readonly [number, number, number],
): string | null {
  if (typeof document === 'undefined' || rows <= 0 || cols <= 0) return null;
  const canvas = document.createElement('canvas');
  canvas.width = cols * scale;
  canvas.height = rows * scale;
  let context: CanvasRenderingContext2D | null;
  try {
    context = canvas.getContext('2d');
  } catch {
    return null;
  }
  if (!context) return null;
  const image = context.createImageData(canvas.width, canvas.height);
  const data = image.data;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [red, green, blue] = colour(r * cols + c);
      for (let y = r * scale; y < (r + 1) * scale; y++) {
        let p = (y * canvas.width + c * scale) * 4;
        for (let x = 0; x < scale; x++, p += 4) {
          data[p] = red;
          data[p + 1] = green;
          data[p + 2] = blue;
          data[p + 3] = 255;
        }
      }
    }
  }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
