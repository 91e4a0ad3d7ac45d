/**
 * The size in CSS pixels of an element, following its resizes (0 until measured). With
 * `track: 'width'` only the width is followed (the height stays 0): a view whose height comes
 * from what it draws does not render again when that height changes.
 */
import { useEffect, useRef, useState } from 'react';

export interface Size {
  width: number;
  height: number;
}

export function useSize<T extends HTMLElement>(
  track: 'width' | 'both' = 'both',
): [React.RefObject<T | null>, Size] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const read = (w: number, h: number) => {
      const width = Math.floor(w);
      const height = track === 'width' ? 0 : Math.floor(h);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    read(element.clientWidth, element.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) read(entry.contentRect.width, entry.contentRect.height);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [track]);
  return [ref, size];
}
