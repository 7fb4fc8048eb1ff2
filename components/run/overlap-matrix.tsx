"use client";
import { memo, useMemo } from "react";
import type { MethodName } from "../../lib/methods/methods";
import { overlap, type Overlap } from "../../lib/methods/overlap";
import type { Selection } from "../../lib/methods/select";
import { formatInt } from "../../lib/view/format";
import { METHOD_LABELS } from "../../lib/view/method-labels";

/** Column heads short enough for six columns in a third of the page; the full name is the title. */
const SHORT: Partial<Record<MethodName, string>> = { variance: "Var.", learnability: "Learn.", "pass-rate": "Pass" };

/**
 * Every ranked method at the same budget (top N, N = LIM's count at its threshold): a cell
 * shows how many prompts the row's method and the column's both keep, and their Jaccard
 * index; clicking it filters the table to the prompts the row keeps and the column does not.
 */
export const OverlapMatrix = memo(function OverlapMatrix({
  selections,
  budget,
  active,
  onPick,
}: {
  selections: Map<MethodName, Selection>;
  budget: number;
  active: [MethodName, MethodName] | null;
  onPick: (kept: [MethodName, MethodName] | null) => void;
}) {
  const methods = useMemo(() => [...selections.keys()], [selections]);
  // One pass per pair, once per budget (not on every render of the page).
  const pairs = useMemo(() => {
    const out = new Map<string, Overlap>();
    for (const a of methods) for (const b of methods) out.set(`${a} ${b}`, out.get(`${b} ${a}`) ? flip(out.get(`${b} ${a}`)!) : overlap(selections.get(a)!, selections.get(b)!));
    return out;
  }, [methods, selections]);
  return (
    <div className="overlap-wrap">
    <table className="plain overlap-matrix" aria-label={`Overlap of the methods at top ${budget}`} data-testid="overlap-matrix">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Kept by</span>
          </th>
          {methods.map((m) => (
            <th key={m} scope="col" title={METHOD_LABELS[m]}>
              {SHORT[m] ?? METHOD_LABELS[m]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {methods.map((a) => (
          <tr key={a}>
            <th scope="row">{METHOD_LABELS[a]}</th>
            {methods.map((b) => {
              const o = pairs.get(`${a} ${b}`)!;
              if (a === b) {
                return (
                  <td key={b} className="num overlap-self" title={`${METHOD_LABELS[a]} keeps ${formatInt(o.a)}`}>
                    {formatInt(o.a)}
                  </td>
                );
              }
              const on = active?.[0] === a && active?.[1] === b;
              const label = `${METHOD_LABELS[a]} and ${METHOD_LABELS[b]}: ${formatInt(o.both)} kept by both, Jaccard ${o.jaccard.toFixed(2)}; show the ${formatInt(o.a - o.both)} kept by ${METHOD_LABELS[a]}, not by ${METHOD_LABELS[b]}`;
              return (
                <td key={b} className="num" style={{ ["--j" as string]: o.jaccard }}>
                  <button type="button" className="overlap-cell" aria-pressed={on} aria-label={label} title={label} onClick={() => onPick(on ? null : [a, b])}>
                    {formatInt(o.both)}
                    <span className="jaccard">{o.jaccard.toFixed(2)}</span>
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
});

const flip = (o: Overlap): Overlap => ({ ...o, a: o.b, b: o.a });
