"use client";
import { useFieldText } from "./use-field-text";

/** "Top N" as a number field and a slider over 0..max, moving together (like ThresholdControl). */
export function TopNControl({ value, max, onChange }: { value: number; max: number; onChange: (n: number) => void }) {
  const field = useFieldText(value, (s) => (Number.isInteger(Number(s)) && Number(s) >= 0 ? Number(s) : null), onChange);
  return (
    <div className="threshold-control">
      <label htmlFor="top-n-number" className="threshold-label">
        Top N
      </label>
      <input
        id="top-n-number"
        className="input threshold-number"
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        aria-label="Top N"
        {...field}
      />
      <input className="threshold-slider" type="range" aria-label="Top N" min={0} max={Math.max(max, value)} step={1} value={value} onChange={(e) => onChange(Number(e.target.value))} />
    </div>
  );
}
