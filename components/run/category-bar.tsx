"use client";
import { CATEGORIES, type Category } from "../../lib/methods/categories";
import { formatInt } from "../../lib/view/format";
import { CATEGORY_LABELS } from "../../lib/view/method-labels";

const RULES: Record<Category, string> = {
  "never-solved": "every epoch at 0%",
  "always-solved": "every epoch at 100%",
  learned: "last third of the epochs at least 25 points above the first third",
  forgotten: "first third at least 25 points above the last third",
  unstable: "standard deviation of at least 0.25 across epochs",
  steady: "none of the above",
  excluded: "an epoch missing after back-fill: no trajectory",
};

/**
 * The trajectory categories as a bar chart, one row each (its share of the run as a bar, its
 * count) and each a toggle that filters the table to it. Counts are over the whole run, whatever the method.
 */
export function CategoryBar({ counts, active, onPick }: { counts: Record<Category, number>; active: Category | null; onPick: (c: Category | null) => void }) {
  const total = Math.max(1, CATEGORIES.reduce((s, c) => s + counts[c], 0));
  return (
    <div className="category-bar" role="group" aria-label="Trajectory categories" data-testid="category-bar">
      {CATEGORIES.map((c) => (
        <button
          key={c}
          type="button"
          className={`category-part cat-${c}`}
          aria-pressed={active === c}
          title={`${CATEGORY_LABELS[c]}: ${RULES[c]}. ${active === c ? "Show every prompt again" : "Show only these prompts in the table"}`}
          onClick={() => onPick(active === c ? null : c)}
        >
          <span className="category-name">{CATEGORY_LABELS[c]}</span>
          <span className="category-meter" aria-hidden="true">
            <span style={{ width: `${(100 * counts[c]) / total}%` }} />
          </span>
          <span className="category-count">{formatInt(counts[c])}</span>
        </button>
      ))}
    </div>
  );
}
