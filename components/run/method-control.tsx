"use client";
import { METHOD_NAMES, METHODS, type MethodName } from "../../lib/methods/methods";
import { METHOD_LABELS } from "../../lib/view/method-labels";

/**
 * The selection method, accessible name "Method". Methods the run cannot give (a run made from
 * published scores has no trajectories) stay listed but disabled, so the choice is explained.
 */
export function MethodControl({ value, available, onChange }: { value: MethodName; available: readonly MethodName[]; onChange: (m: MethodName) => void }) {
  const info = METHODS[value];
  return (
    <div className="method-control">
      <label className="threshold-label" htmlFor="method-select">
        Method
      </label>
      <select id="method-select" className="input method-select" aria-label="Method" aria-describedby="method-about" value={value} onChange={(e) => onChange(e.target.value as MethodName)}>
        {METHOD_NAMES.map((m) => (
          <option key={m} value={m} disabled={!available.includes(m)}>
            {METHOD_LABELS[m]}
            {available.includes(m) ? "" : " (needs the reward log)"}
          </option>
        ))}
      </select>
      <p id="method-about" className="sub method-about" title={info.source}>
        {info.score}. <span className="muted">{info.source}</span>
      </p>
    </div>
  );
}
