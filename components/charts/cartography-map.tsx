"use client";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { REGION_CODES, REGIONS, type CartographyMap as MapData } from "../../lib/methods/cartography";
import { buildPointGrid, coordsOf, hexToRgb, nearestPoint, pixelOf, rasterizeMap, type MapColors } from "../../lib/view/cartography-raster";
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
    if (active !== null && map.confidence[active] === map.confidence[active]) {
      const [x, y] = pixelOf(map.confidence[active], map.variability[active], W, H);
      ctx.beginPath();
      ctx.arc(x + 0.5, y + 0.5, 5, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = getComputedStyle(canvas.current!).getPropertyValue("--fg") || "#111827";
      ctx.stroke();
    }
  }, [pixels, active, map]);

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
          role="img"
          aria-label={`Cartography map of ${formatInt(grid.points.length)} prompts: ${summary}. Click a point to open its prompt.`}
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
      <div className="map-axis-x" aria-hidden="true">
        <span>0%</span>
        <span>confidence (mean accuracy) →</span>
        <span>100%</span>
      </div>
    </div>
  );
});
