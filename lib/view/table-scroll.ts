/**
 * The prompt table's scroll space. Browsers cap an element's height (Chrome ~33.5M px,
 * Firefox ~17.9M px), and a million rows of 34 px are 34M px: past the cap the last rows
 * cannot be scrolled to. Above MAX_SCROLL_HEIGHT the table's scroll space is compressed:
 * the virtualiser is told each row is `itemSize` (< the row's height) tall, so its total stays
 * under the cap, and rows are drawn at their real height with the first row on screen
 * following the scroll position linearly, top to bottom (`rowTop`). The virtualiser's range
 * always covers the rows on screen (it sees a viewport's worth of compressed rows, more than
 * fit); `visibleRows` picks those actually shown. Below the cap nothing changes (k = 1).
 */

export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface ScrollScale {
  /** The row height the virtualiser is given. */
  itemSize: number;
  /** Content offset (rows x row height) per pixel of scrollTop. */
  k: number;
  scaled: boolean;
  /** Height of the scroll space. */
  height: number;
}

export function scrollScale(rows: number, rowHeight: number, viewport: number, max = MAX_SCROLL_HEIGHT): ScrollScale {
  const total = rows * rowHeight;
  if (total <= max) return { itemSize: rowHeight, k: 1, scaled: false, height: total };
  const itemSize = (rowHeight * max) / total;
  const height = rows * itemSize;
  const k = height > viewport ? (total - viewport) / (height - viewport) : 1;
  return { itemSize, k, scaled: true, height };
}

/** Top of row i in the scroll space, drawn at its real height, for the element's scrollTop. */
export function rowTop(sc: ScrollScale, i: number, rowHeight: number, scrollTop: number): number {
  return sc.scaled ? scrollTop + i * rowHeight - scrollTop * sc.k : i * rowHeight;
}

/** The rows (first, last; inclusive) on screen at this scrollTop. */
export function visibleRows(sc: ScrollScale, rows: number, rowHeight: number, viewport: number, scrollTop: number): [number, number] {
  const offset = scrollTop * sc.k;
  const first = Math.max(0, Math.floor(offset / rowHeight));
  const last = Math.min(rows - 1, Math.ceil((offset + viewport) / rowHeight) - 1);
  return [first, last];
}

/** The scrollTop that brings row i into view with the least move ("auto"). */
export function scrollTopFor(sc: ScrollScale, i: number, rowHeight: number, viewport: number, scrollTop: number): number {
  const offset = scrollTop * sc.k;
  const top = i * rowHeight;
  let target = offset;
  if (top < offset) target = top;
  else if (top + rowHeight > offset + viewport) target = top + rowHeight - viewport;
  return Math.max(0, Math.min(sc.height - viewport, target / sc.k));
}
