/**
 * The cartography map drawn as pixels, not shapes: every scored prompt lands in one pixel of
 * an RGBA buffer (confidence across, variability up), regions shaded behind, density as
 * opacity and the current selection in the accent colour, then the canvas takes the buffer in
 * one putImageData. A million points cost one pass, where one path per point would stall the
 * page. A click finds the nearest prompt through a grid of buckets (buildPointGrid).
 */
import type { CartographyMap } from "../methods/cartography";

/** Variability is a standard deviation of values in [0, 1]: at most 0.5. */
export const MAP_VARIABILITY_MAX = 0.5;

export type Rgb = [number, number, number];
export interface MapColors {
  /** Backgrounds of the regions. */
  ambiguous: Rgb;
  easy: Rgb;
  hard: Rgb;
  point: Rgb;
  selected: Rgb;
}

/** Map coordinates to the pixel (column, row) of a W x H raster; row 0 is the top (high variability). */
export function pixelOf(confidence: number, variability: number, W: number, H: number): [number, number] {
  const x = Math.min(W - 1, Math.max(0, Math.round(confidence * (W - 1))));
  const y = Math.min(H - 1, Math.max(0, Math.round((1 - variability / MAP_VARIABILITY_MAX) * (H - 1))));
  return [x, y];
}

/** A pixel back to map coordinates. */
export function coordsOf(x: number, y: number, W: number, H: number): [number, number] {
  return [x / Math.max(1, W - 1), (1 - y / Math.max(1, H - 1)) * MAP_VARIABILITY_MAX];
}

/** `mask`: the page's selection (1 = selected), drawn over the other prompts. */
export function rasterizeMap(map: CartographyMap, mask: Uint8Array | null, W: number, H: number, colors: MapColors): Uint8ClampedArray {
  const all = new Uint32Array(W * H);
  const chosen = new Uint32Array(W * H);
  const { confidence, variability } = map;
  for (let p = 0; p < confidence.length; p++) {
    const c = confidence[p];
    const v = variability[p];
    if (c !== c || v !== v) continue;
    const [x, y] = pixelOf(c, v, W, H);
    all[y * W + x]++;
    if (mask && mask[p]) chosen[y * W + x]++;
  }
  let most = 1;
  for (let i = 0; i < all.length; i++) if (all[i] > most) most = all[i];
  const logMost = Math.log1p(most);
  const out = new Uint8ClampedArray(W * H * 4);
  const cut = map.ambiguousFrom;
  for (let y = 0; y < H; y++) {
    const v = (1 - y / Math.max(1, H - 1)) * MAP_VARIABILITY_MAX;
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const c = x / Math.max(1, W - 1);
      const bg = cut === cut && v >= cut ? colors.ambiguous : c >= 0.5 ? colors.easy : colors.hard;
      const n = all[i];
      const fg = chosen[i] > 0 ? colors.selected : colors.point;
      // Density as opacity on a log scale: one prompt is visible, a crowd is solid.
      const a = n === 0 ? 0 : 0.45 + (0.55 * Math.log1p(n)) / logMost;
      out[i * 4] = bg[0] + (fg[0] - bg[0]) * a;
      out[i * 4 + 1] = bg[1] + (fg[1] - bg[1]) * a;
      out[i * 4 + 2] = bg[2] + (fg[2] - bg[2]) * a;
      out[i * 4 + 3] = 255;
    }
  }
  return out;
}

/** Prompts bucketed by map cell: cell c holds points[start[c] .. start[c + 1]). */
export interface PointGrid {
  cols: number;
  rows: number;
  start: Uint32Array;
  points: Uint32Array;
}

const cellOf = (g: Pick<PointGrid, "cols" | "rows">, c: number, v: number) => {
  const cx = Math.min(g.cols - 1, Math.max(0, Math.floor(c * g.cols)));
  const cy = Math.min(g.rows - 1, Math.max(0, Math.floor((v / MAP_VARIABILITY_MAX) * g.rows)));
  return [cx, cy];
};

export function buildPointGrid(map: CartographyMap, cols = 64, rows = 32): PointGrid {
  const g = { cols, rows };
  const { confidence: conf, variability: vari } = map;
  const start = new Uint32Array(cols * rows + 1);
  const cell = new Int32Array(conf.length).fill(-1);
  for (let p = 0; p < conf.length; p++) {
    if (conf[p] !== conf[p] || vari[p] !== vari[p]) continue;
    const [cx, cy] = cellOf(g, conf[p], vari[p]);
    cell[p] = cy * cols + cx;
    start[cell[p] + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c];
  const fill = start.slice(0, cols * rows);
  const points = new Uint32Array(start[cols * rows]);
  for (let p = 0; p < conf.length; p++) if (cell[p] >= 0) points[fill[cell[p]]++] = p;
  return { cols, rows, start, points };
}

/**
 * The prompt nearest to (confidence, variability), variability scaled to the confidence's
 * span as drawn; -1 when none lies within `within` (in confidence units). Rings of cells
 * outward from the click, stopping once no nearer point can lie in the next ring.
 */
export function nearestPoint(grid: PointGrid, map: CartographyMap, c: number, v: number, within = 0.05): number {
  const [cx, cy] = cellOf(grid, c, v);
  const cellW = 1 / grid.cols;
  const cellH = 1 / grid.rows; // in variability / MAP_VARIABILITY_MAX units, drawn as tall as confidence is wide
  let best = -1;
  let bestD = within * within;
  const maxRing = Math.max(grid.cols, grid.rows);
  for (let r = 0; r <= maxRing; r++) {
    if (best >= 0 && (r - 1) * Math.min(cellW, cellH) > Math.sqrt(bestD)) break;
    if ((r - 1) * Math.min(cellW, cellH) > within) break;
    for (let y = cy - r; y <= cy + r; y++) {
      if (y < 0 || y >= grid.rows) continue;
      for (let x = cx - r; x <= cx + r; x++) {
        if (x < 0 || x >= grid.cols || (Math.abs(x - cx) !== r && Math.abs(y - cy) !== r)) continue;
        const cell = y * grid.cols + x;
        for (let j = grid.start[cell]; j < grid.start[cell + 1]; j++) {
          const p = grid.points[j];
          const dx = map.confidence[p] - c;
          const dy = (map.variability[p] - v) / MAP_VARIABILITY_MAX;
          const d = dx * dx + dy * dy;
          if (d < bestD) {
            bestD = d;
            best = p;
          }
        }
      }
    }
  }
  return best;
}

/** "#c2410c" as [194, 65, 12]; a colour that is not #rrggbb gives `fallback`. */
export function hexToRgb(hex: string, fallback: Rgb): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : fallback;
}
