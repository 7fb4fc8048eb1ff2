"use client";
import { useEffect, useState } from "react";

/**
 * The threshold as a slider and a number field that move together. Both carry the accessible
 * name "Threshold". The field accepts any number (scores can be negative); the slider spans
 * the histogram's range.
 */
export function ThresholdControl({ value, min, max, onChange }: { value: number; min: number; max: number; onChange: (t: number) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    if (Number(text) !== value) setText(String(value));
    // Only follow outside changes; typing "0." must not be rewritten mid-way.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const lo = Math.min(min, value);
  const hi = Math.max(max, value);
  return (
    <div className="threshold-control">
      <label htmlFor="threshold-number" className="threshold-label">
        Threshold
      </label>
      <input
        id="threshold-number"
        className="input threshold-number"
        type="number"
        step="0.01"
        inputMode="decimal"
        aria-label="Threshold"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value.trim() !== "" && Number.isFinite(n)) onChange(n);
        }}
        onBlur={() => setText(String(value))}
      />
      <input
        className="threshold-slider"
        type="range"
        aria-label="Threshold"
        min={lo}
        max={hi}
        step={0.01}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </div>
  );
}
