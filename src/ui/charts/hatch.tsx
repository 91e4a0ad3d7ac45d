/**
 * Hatching for bars: series i gets colour i and pattern i (solid, diagonal, horizontal, ...),
 * so bars stay apart without colour vision. <HatchDefs> goes inside the chart's SVG; the fill
 * `url(#prefix-i)` works in the legend too (ids are document-wide).
 */
import { PALETTE } from './palette';

const ANGLES = [null, 45, 0, 135, 90, -20];

export const hatchFill = (prefix: string, i: number) => `url(#${prefix}-${i})`;
export const seriesColor = (i: number) => PALETTE[i % PALETTE.length]!;

export function HatchDefs({ prefix, count }: { prefix: string; count: number }) {
  return (
    <defs>
      {Array.from({ length: count }, (_, i) => {
        const angle = ANGLES[i % ANGLES.length];
        return (
          <pattern
            key={i}
            id={`${prefix}-${i}`}
            patternUnits="userSpaceOnUse"
            width={6}
            height={6}
            patternTransform={angle === null ? undefined : `rotate(${angle})`}
          >
            <rect width={6} height={6} fill={seriesColor(i)} />
            {angle === null ? null : (
              <line x1={0} y1={0} x2={0} y2={6} stroke="#fff" strokeWidth={2} />
            )}
          </pattern>
        );
      })}
    </defs>
  );
}
