/**
 * A chart as a file: its SVG (the recharts surface, made standalone with a white background,
 * the title on top and the legend — which recharts draws as HTML — redrawn below) or a PNG
 * drawn from that SVG at twice the screen size.
 */
import { saveFile } from '../save-file';

function standaloneSvg(figure: HTMLElement, title: string): string | null {
  // The chart's own surface (legend icons are small recharts-surface SVGs too), or a drawing
  // of the lab's own (class chart-surface, e.g. the inspection views).
  const svg = figure.querySelector('.recharts-wrapper > svg.recharts-surface, svg.chart-surface');
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
  // The legend: each entry's icon (its own small SVG) and label, in rows where recharts shows
  // it (an HTML box over the bottom of the surface).
  const items = [...figure.querySelectorAll('.recharts-legend-item')];
  const box = figure.querySelector('.recharts-legend-wrapper')?.getBoundingClientRect();
  const top = box ? box.top - svg.getBoundingClientRect().top : height;
  let x = 8;
  let y = Math.max(14, top + 12);
  for (const item of items) {
    const label = item.textContent?.trim() ?? '';
    const width = 22 + label.length * 6.5;
    if (x + width > Number(copy.getAttribute('width')) && x > 8) {
      x = 8;
      y += 18;
    }
    const icon = item.querySelector('svg');
    const group = document.createElementNS(ns, 'g');
    group.setAttribute('transform', `translate(${x},${y - 10})`);
    if (icon) {
      const inner = icon.cloneNode(true) as SVGSVGElement;
      inner.setAttribute('width', '12');
      inner.setAttribute('height', '12');
      group.appendChild(inner);
    }
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', '16');
    text.setAttribute('y', '10');
    text.setAttribute('font-size', '11');
    text.textContent = label;
    group.appendChild(text);
    copy.appendChild(group);
    x += width;
  }
  const full = Math.max(height, y + 10);
  copy.setAttribute('height', String(full + 24));
  copy.setAttribute('viewBox', `0 -24 ${width} ${full + 24}`);
  background.setAttribute('height', String(full + 24));
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
