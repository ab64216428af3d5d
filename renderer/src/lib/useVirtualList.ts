/**
 * Variable-height list virtualization: only rows near the viewport are mounted. Row heights are
 * measured after render (ResizeObserver) and fall back to an estimate, so 10k-message sessions stay
 * as cheap to render as 20-message ones.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";

const OVERSCAN_PX = 600;

export interface VirtualRow {
  index: number;
  top: number;
}

/** Tracks scroll, measures rows, and tells the caller which rows to mount and where. */
export function useVirtualList(keys: string[], estimate: number) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [heights, setHeights] = useState(() => new Map<string, number>());
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  const observer = useRef<ResizeObserver | null>(null);

  useEffect(() => {
    observer.current = new ResizeObserver((entries) => {
      setHeights((prev) => {
        let next: Map<string, number> | null = null;
        for (const entry of entries) {
          const key = (entry.target as HTMLElement).dataset.vkey;
          if (!key) continue;
          const h = Math.ceil(entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height);
          if (prev.get(key) !== h) (next ??= new Map(prev)).set(key, h);
        }
        return next ?? prev;
      });
    });
    return () => observer.current?.disconnect();
  }, []);

  const offsets = useMemo(() => {
    const out = new Array<number>(keys.length + 1);
    out[0] = 0;
    for (let i = 0; i < keys.length; i++) out[i + 1] = (out[i] ?? 0) + (heights.get(keys[i] ?? "") ?? estimate);
    return out;
  }, [keys, heights, estimate]);

  const total = offsets[keys.length] ?? 0;
  const rows: VirtualRow[] = [];
  const from = viewport.top - OVERSCAN_PX;
  const to = viewport.top + viewport.height + OVERSCAN_PX;
  // Binary search for the first visible row: offsets is sorted.
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < keys.length && (offsets[i] ?? 0) <= to; i++) rows.push({ index: i, top: offsets[i] ?? 0 });

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) setViewport({ top: el.scrollTop, height: el.clientHeight });
  }, []);

  useLayoutEffect(() => {
    onScroll();
  }, [onScroll]);

  /** Ref callback for a mounted row: measure it. */
  const measure = useCallback((el: HTMLElement | null) => {
    if (el) observer.current?.observe(el);
  }, []);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (el) el.scrollTop = Math.max(0, (offsets[index] ?? 0) - el.clientHeight / 3);
    },
    [offsets],
  );

  return { scrollRef, rows, total, onScroll, measure, scrollToIndex };
}
