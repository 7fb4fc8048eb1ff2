"use client";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { REGION_CODES, REGIONS, type CartographyMap as MapData } from "../../lib/methods/cartography";
import { buildPointGrid, coordsOf, hexToRgb, MAP_VARIABILITY_MAX, nearestPoint, pixelOf, rasterizeMap, type MapColors, type PointGrid } from "../../lib/view/cartography-raster";
import { formatInt } from "../../lib/view/format";

const W = 400;
const H = 200;

function cssColors(el: HTMLElement): MapColors {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: [number, number, number]) => hexToRgb(s.getPropertyValue(name), fallback);
  return {
    ambiguous: v("--region-ambiguous", [243, 240, 252]),
    easy: v("--region-easy", [238, 247, 241]),
    hard: v("--region-hard", [252, 241, 238]),
    point: v("--map-point", [100, 116, 139]),
    selected: v("--accent", [194, 65, 12]),
  };
}

/** Arrow keys as (confidence, variability) directions; a step is about four pixels. */
const MOVES: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
const STEP_C = 4 / W;
const STEP_V = (4 / H) * MAP_VARIABILITY_MAX;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Where the keyboard cursor starts: on the open prompt, else on the prompt nearest the middle. */
function startCursor(grid: PointGrid, map: MapData, active: number | null): [number, number] {
  const mid = nearestPoint(grid, map, 0.5, MAP_VARIABILITY_MAX / 2, 2);
  const p = active !== null && map.confidence[active] === map.confidence[active] ? active : mid;
  return p >= 0 ? [map.confidence[p], map.variability[p]] : [0.5, MAP_VARIABILITY_MAX / 2];
}

/**
 * Dataset cartography: confidence (mean accuracy) across, variability (its standard
 * deviation) up, one pixel per prompt drawn from an RGBA buffer (lib/view/cartography-raster.ts),
 * regions shaded, the page's selection in the accent colour. A click opens the nearest prompt.
 */
export const CartographyMap = memo(function CartographyMap({
  map,
  selected,
  active,
  onPick,
}: {
  map: MapData;
  selected: Uint8Array | null;
  active: number | null;
  onPick: (ordinal: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [colors, setColors] = useState<MapColors | null>(null);
  const grid = useMemo(() => buildPointGrid(map), [map]);
  const regionCounts = useMemo(() => {
    const n = [0, 0, 0, 0];
    for (const r of map.region) n[r]++;
    return n;
  }, [map]);
  // The keyboard's way in: arrows move a cursor over the map (Shift: 5x), the nearest prompt
  // to it is ringed and named, Enter opens it.
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const cursorPoint = useMemo(() => (cursor ? nearestPoint(grid, map, cursor[0], cursor[1]) : -1), [grid, map, cursor]);
  const pixels = useMemo(() => (colors ? rasterizeMap(map, selected, W, H, colors) : null), [map, selected, colors]);

  useEffect(() => {
    if (!canvas.current) return;
    setColors(cssColors(canvas.current));
    const dark = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => canvas.current && setColors(cssColors(canvas.current));
    dark.addEventListener("change", follow);
    return () => dark.removeEventListener("change", follow);
  }, []);

  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx || !pixels) return;
    ctx.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, W, H), 0, 0);
    const ring = (p: number, dashed: boolean) => {
      const [x, y] = pixelOf(map.confidence[p], map.variability[p], W, H);
      ctx.beginPath();
      ctx.setLineDash(dashed ? [3, 2] : []);
      ctx.arc(x + 0.5, y + 0.5, 5, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = getComputedStyle(canvas.current!).getPropertyValue("--fg") || "#111827";
      ctx.stroke();
    };
    if (active !== null && map.confidence[active] === map.confidence[active]) ring(active, false);
    if (cursor) {
      const [x, y] = pixelOf(cursor[0], cursor[1], W, H);
      ctx.setLineDash([]);
      ctx.lineWidth = 1;
      ctx.strokeStyle = getComputedStyle(canvas.current!).getPropertyValue("--accent") || "#c2410c";
      ctx.strokeRect(x - 3, y - 3, 7, 7);
      if (cursorPoint >= 0) ring(cursorPoint, true);
    }
  }, [pixels, active, map, cursor, cursorPoint]);

  const summary = REGIONS.map((r) => `${formatInt(regionCounts[REGION_CODES[r]])} ${r}`).join(", ");
  return (
    <div className="cartography" data-testid="cartography-map">
      <div className="cartography-plot">
        <span className="map-axis-y" aria-hidden="true">
          variability ↑
        </span>
        <canvas
          ref={canvas}
          width={W}
          height={H}
          tabIndex={0}
          role="application"
          aria-roledescription="map"
          aria-label={`Cartography map of ${formatInt(grid.points.length)} prompts: ${summary}. Click a point, or move with the arrow keys and press Enter, to open its prompt.`}
          onKeyDown={(e) => {
            const move = MOVES[e.key];
            if (move) {
              e.preventDefault();
              const k = e.shiftKey ? 5 : 1;
              const [c, v] = cursor ?? startCursor(grid, map, active);
              setCursor([clamp(c + move[0] * k * STEP_C, 0, 1), clamp(v + move[1] * k * STEP_V, 0, MAP_VARIABILITY_MAX)]);
            } else if ((e.key === "Enter" || e.key === " ") && cursorPoint >= 0) {
              e.preventDefault();
              onPick(cursorPoint);
            } else if (e.key === "Escape") setCursor(null);
          }}
          onBlur={() => setCursor(null)}
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            const [c, v] = coordsOf(((e.clientX - r.left) / r.width) * (W - 1), ((e.clientY - r.top) / r.height) * (H - 1), W, H);
            const p = nearestPoint(grid, map, c, v);
            if (p >= 0) onPick(p);
          }}
        />
        <span className="map-region map-ambiguous" aria-hidden="true">
          ambiguous
        </span>
        <span className="map-region map-hard" aria-hidden="true">
          hard-to-learn
        </span>
        <span className="map-region map-easy" aria-hidden="true">
          easy-to-learn
        </span>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {cursor && (cursorPoint >= 0 ? `prompt #${cursorPoint}: confidence ${(map.confidence[cursorPoint] * 100).toFixed(0)}%, variability ${map.variability[cursorPoint].toFixed(2)}; Enter opens it` : "no prompt near here")}
      </p>
      <div className="map-axis-x" aria-hidden="true">
        <span>0%</span>
        <span>confidence (mean accuracy) →</span>
        <span>100%</span>
      </div>
    </div>
  );
});
