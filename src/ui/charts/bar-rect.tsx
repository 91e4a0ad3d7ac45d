import type { BarShapeProps } from 'recharts';

/**
 * A bar as a plain rect: recharts' default shape measures its outline (getTotalLength, a
 * forced layout) for every bar it mounts.
 */
export function BarRect(props: BarShapeProps) {
  const { x, y, width, height, fill, stroke } = props as {
    x: number;
    y: number;
    width: number;
    height: number;
    fill: string;
    stroke?: string;
  };
  if (!(height > 0) || !(width > 0)) return null;
  return <rect x={x} y={y} width={width} height={height} fill={fill} stroke={stroke} />;
}
