"use client";
import { useFieldText } from "./use-field-text";

/**
 * The threshold as a slider and a number field that move together. Both carry the accessible
 * name "Threshold". The field accepts any number (scores can be negative); the slider spans
 * the histogram's range.
 */
export function ThresholdControl({ value, min, max, onChange }: { value: number; min: number; max: number; onChange: (t: number) => void }) {
  const field = useFieldText(value, (s) => (Number.isFinite(Number(s)) ? Number(s) : null), onChange);
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
        {...field}
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
