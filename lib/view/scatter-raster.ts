/**
 * The Compare page's scatter drawn as pixels (as cartography-raster.ts draws the map): every
 * joined prompt lands in one pixel of an RGBA buffer, score in A across and in B up, density as
 * opacity, coloured by which run selects it; the canvas takes the buffer in one putImageData.
 * A million points cost one pass. Pure.
 */
import { SELECTED_A, SELECTED_B } from "../compare/join-runs";
import type { Rgb } from "./cartography-raster";

export interface ScatterColors {
  background: Rgb;
  /** Selected by neither, by A only, by B only, by both. */
  neither: Rgb;
  onlyA: Rgb;
  onlyB: Rgb;
  both: Rgb;
}

/** The axes' span: [lo, 1], lo the lowest score seen (LIM scores may be negative), at most 0 and at least -1 (lower ones sit on the edge). */
export function scatterDomain(xs: ArrayLike<number>, ys: ArrayLike<number>): [number, number] {
  let lo = 0;
  for (const arr of [xs, ys]) for (let i = 0; i < arr.length; i++) if (arr[i] < lo) lo = arr[i];
  return [Math.max(-1, lo), 1];
}

/** A value's column (or, with `flip`, its row: 0 is the top) in a raster `size` pixels across. */
export function scatterPixel(v: number, domain: [number, number], size: number, flip = false): number {
  const t = (v - domain[0]) / (domain[1] - domain[0]);
  const p = Math.min(size - 1, Math.max(0, Math.round(t * (size - 1))));
  return flip ? size - 1 - p : p;
}

/**
 * RGBA pixels of a W x H scatter of (xs[j], ys[j]) for every j; `selected[j]` holds SELECTED_A |
 * SELECTED_B bits. A pixel takes the colour of the most telling kind among its points (a flip
 * over both over neither), so a lone flip in a crowd stays visible.
 */
export function rasterizeScatter(xs: ArrayLike<number>, ys: ArrayLike<number>, selected: ArrayLike<number>, domain: [number, number], W: number, H: number, colors: ScatterColors): Uint8ClampedArray {
  const count = new Uint32Array(W * H);
  const kind = new Uint8Array(W * H); // 0 none, 1 neither, 2 both, 3 only B, 4 only A
  const RANK = [1, 4, 3, 2]; // by bits: 0 neither, 1 A only, 2 B only, 3 both
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j];
    const y = ys[j];
    if (x !== x || y !== y) continue;
    const i = scatterPixel(y, domain, H, true) * W + scatterPixel(x, domain, W);
    count[i]++;
    const k = RANK[selected[j] & (SELECTED_A | SELECTED_B)];
    if (k > kind[i]) kind[i] = k;
  }
  let most = 1;
  for (let i = 0; i < count.length; i++) if (count[i] > most) most = count[i];
  const logMost = Math.log1p(most);
  const palette: Rgb[] = [colors.background, colors.neither, colors.both, colors.onlyB, colors.onlyA];
  const bg = colors.background;
  const out = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < count.length; i++) {
    const n = count[i];
    const fg = palette[kind[i]];
    const a = n === 0 ? 0 : 0.45 + (0.55 * Math.log1p(n)) / logMost;
    out[i * 4] = bg[0] + (fg[0] - bg[0]) * a;
    out[i * 4 + 1] = bg[1] + (fg[1] - bg[1]) * a;
    out[i * 4 + 2] = bg[2] + (fg[2] - bg[2]) * a;
    out[i * 4 + 3] = 255;
  }
  return out;
}
