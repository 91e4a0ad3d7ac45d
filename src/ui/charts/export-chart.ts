/**
 * A chart as a file: its SVG (the drawing, legend included, made standalone with a white
 * background and the title on top) or a PNG drawn from that SVG at twice the screen size.
 */
import { saveFile } from '../save-file';

function standaloneSvg(figure: HTMLElement, title: string): string | null {
  // The chart's drawing (Plot's, or an inspection view's: class chart-surface).
  const svg = figure.querySelector('svg.chart-surface');
  if (!svg) return null;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const width = Number(svg.getAttribute('width')) || svg.clientWidth;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight;
  const ns = 'http://www.w3.org/2000/svg';
  copy.setAttribute('xmlns', ns);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height + 24));
  copy.setAttribute('viewBox', `0 -24 ${width} ${height + 24}`);
  copy.setAttribute('font-family', 'system-ui, sans-serif');
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('x', '0');
  background.setAttribute('y', '-24');
  background.setAttribute('width', String(width));
  background.setAttribute('height', String(height + 24));
  background.setAttribute('fill', '#ffffff');
  const heading = document.createElementNS(ns, 'text');
  heading.setAttribute('x', '8');
  heading.setAttribute('y', '-8');
  heading.setAttribute('font-size', '14');
  heading.setAttribute('font-weight', '600');
  heading.textContent = title;
  copy.insertBefore(heading, copy.firstChild);
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

const fileName = (title: string, ext: string) =>
  `pruning-lab-${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.${ext}`;

export function saveChartSvg(figure: HTMLElement, title: string): void {
  const svg = standaloneSvg(figure, title);
  if (svg) saveFile(svg, fileName(title, 'svg'), 'image/svg+xml');
}

export async function saveChartPng(figure: HTMLElement, title: string): Promise<void> {
  const svg = standaloneSvg(figure, title);
  if (!svg) return;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart could not be drawn'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = image.width * 2;
    canvas.height = image.height * 2;
    const context = canvas.getContext('2d');
    if (!context) return;
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
    if (blob) saveFile(blob, fileName(title, 'png'), 'image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
