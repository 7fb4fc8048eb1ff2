"use client";
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef } from "react";
import { isSelected } from "../../lib/lim/select";
import { formatInt, formatPercent, formatScore } from "../../lib/view/format";
import { loggedAccuracy, type RunModel } from "../../lib/view/run-model";
import type { SortKey } from "../../lib/view/table-order";
import { MathText } from "../math-text";
import { Sparkline } from "../charts/sparkline";

interface PromptRow {
  ordinal: number;
  text: string;
  score: number | null;
  first: number | null;
  last: number | null;
  rollouts: number;
  trajectory: (number | null)[];
  selected: boolean;
  excluded: boolean;
}

const features = tableFeatures({ rowSortingFeature });
const col = createColumnHelper<typeof features, PromptRow>();
const nan = (v: number) => (Number.isNaN(v) ? null : v);

/**
 * Column definitions: TanStack owns headers, sort state and cell rendering. Ordering itself
 * runs in lib/view over typed arrays (manualSorting), and only the rows in view are handed to
 * the table: a row model of 100k rows would be rebuilt on every threshold move.
 */
const columns = col.columns([
  col.accessor("text", {
    id: "prompt",
    header: "Prompt",
    cell: (info) => (
      <span className="prompt-cell" title={info.getValue()}>
        <MathText text={info.getValue()} inline />
      </span>
    ),
  }),
  col.accessor("score", {
    id: "score",
    header: "LIM score",
    cell: (info) => <span title={formatScore(info.getValue(), 4)}>{formatScore(info.getValue())}</span>,
  }),
  col.accessor("first", { id: "first", header: "First epoch", cell: (info) => formatPercent(info.getValue()) }),
  col.accessor("last", { id: "last", header: "Last epoch", cell: (info) => formatPercent(info.getValue()) }),
  col.accessor("rollouts", { id: "rollouts", header: "Rollouts", cell: (info) => formatInt(info.getValue()) }),
  col.accessor("trajectory", {
    id: "trajectory",
    header: "Trajectory",
    cell: (info) => <Sparkline values={info.getValue()} />,
  }),
  col.accessor("selected", {
    id: "selected",
    header: "Selected",
    cell: (info) =>
      info.row.original.excluded ? (
        <span className="badge-excluded" title="Excluded: no score">
          excl.
        </span>
      ) : info.getValue() ? (
        <span className="check" aria-label="selected">
          ✓
        </span>
      ) : (
        <span className="visually-hidden">not selected</span>
      ),
  }),
]);

const NUMERIC = new Set(["score", "first", "last", "rollouts", "selected"]);
const ROW_HEIGHT = 34;

export function PromptTable({
  model,
  order,
  threshold,
  sort,
  desc,
  active,
  onSort,
  onActivate,
  onOpen,
}: {
  model: RunModel;
  order: Int32Array;
  threshold: number;
  sort: SortKey;
  desc: boolean;
  active: number | null;
  onSort: (key: SortKey, desc: boolean) => void;
  onActivate: (ordinal: number) => void;
  onOpen: (ordinal: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 1000, height: 560 },
  });
  const items = virtualizer.getVirtualItems();

  const data = useMemo<PromptRow[]>(
    () =>
      items.map((item) => {
        const i = order[item.index];
        const score = model.scores[i];
        return {
          ordinal: i,
          text: model.texts[i],
          score,
          first: nan(model.first[i]),
          last: nan(model.last[i]),
          rollouts: model.rollouts[i],
          trajectory: loggedAccuracy(model, i),
          selected: isSelected(score, threshold),
          excluded: score === null,
        };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [items.map((x) => x.index).join(","), order, model, threshold],
  );

  const sorting = useMemo<SortingState>(() => (sort === "ordinal" ? [] : [{ id: sort, desc }]), [sort, desc]);
  const table = useTable({
    features,
    columns,
    data,
    getRowId: (row) => String(row.ordinal),
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    sortDescFirst: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      if (next[0]) onSort(next[0].id as SortKey, next[0].desc);
      else onSort("ordinal", false);
    },
  });

  // Keep the active row in view when keys move it.
  // Only when the active row changes: a threshold move must not yank the scroll position.
  const orderRef = useRef(order);
  orderRef.current = order;
  useEffect(() => {
    const pos = active === null ? -1 : orderRef.current.indexOf(active);
    if (pos >= 0) virtualizer.scrollToIndex(pos, { align: "auto" });
  }, [active, virtualizer]);

  const rows = table.getRowModel().rows;
  return (
    <div className="prompt-table" role="table" aria-label="Prompts" aria-rowcount={order.length + 1}>
      <div role="rowgroup" className="pt-head">
        {table.getHeaderGroups().map((group) => (
          <div role="row" className="pt-row" key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <div
                  role="columnheader"
                  key={header.id}
                  className={`pt-cell pt-${header.id}${NUMERIC.has(header.id) ? " num" : ""}`}
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                >
                  <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()} title={header.id === "trajectory" ? "Sort by mean accuracy across epochs" : `Sort by ${header.id}`}>
                    <table.FlexRender header={header} />
                    <span className="sort-mark" aria-hidden="true">
                      {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="pt-scroll" tabIndex={0} data-testid="prompt-table-scroll" aria-label="Prompt rows; j/k or arrow keys move, Enter opens">
        {order.length === 0 ? (
          <div className="pt-empty">No prompt matches this search and filter.</div>
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {rows.map((row, j) => {
              const item = items[j];
              if (!item) return null;
              const o = row.original;
              const cls = `pt-row pt-body-row${o.ordinal === active ? " active" : ""}${o.excluded ? " excluded" : o.selected ? " selected" : ""}`;
              return (
                <div
                  role="row"
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  aria-selected={o.ordinal === active}
                  data-ordinal={o.ordinal}
                  className={cls}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => onActivate(o.ordinal)}
                  onDoubleClick={() => onOpen(o.ordinal)}
                >
                  {row.getAllCells().map((cell) => (
                    <div role="cell" key={cell.id} className={`pt-cell pt-${cell.column.id}${NUMERIC.has(cell.column.id) ? " num" : ""}`}>
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
