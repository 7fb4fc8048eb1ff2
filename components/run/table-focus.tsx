import { METHOD_LABELS, CATEGORY_LABELS, REGION_LABELS } from "../../lib/view/method-labels";
import type { ViewState } from "../../lib/view/view-state";

/** What narrows the table beyond search and filter (a category, a region, an overlap cell), with a way out. */
export function TableFocus({ view, onClear }: { view: ViewState; onClear: () => void }) {
  const what =
    view.category !== null
      ? `category: ${CATEGORY_LABELS[view.category]}`
      : view.inRegion !== null
        ? `region: ${REGION_LABELS[view.inRegion]}`
        : view.kept !== null
          ? `kept by ${METHOD_LABELS[view.kept[0]]}, not by ${METHOD_LABELS[view.kept[1]]}`
          : view.answers
            ? "with reference answers"
            : null;
  if (what === null) return null;
  return (
    <span className="table-focus" data-testid="table-focus">
      {what}
      <button type="button" className="btn btn-small" onClick={onClear} aria-label={`Show every prompt (clear ${what})`}>
        ✕
      </button>
    </span>
  );
}
