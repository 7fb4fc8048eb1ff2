"use client";
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useReducer, useRef } from "react";
import { isSelected } from "../../lib/lim/select";
import { formatInt, formatPercent, formatScore } from "../../lib/view/format";
import type { PromptTextStore } from "../../lib/view/prompt-text-store";
import { loggedAccuracy, scoreOf, type RunModel } from "../../lib/view/run-model";
import type { SortKey } from "../../lib/view/table-order";
import { rowTop, scrollScale, scrollTopFor, visibleRows } from "../../lib/view/table-scroll";
import { useTextsVersion } from "./use-prompt-texts";
import { MathText } from "../math-text";
import { Sparkline } from "../charts/sparkline";

interface PromptRow {
  ordinal: number;
  /** Null until the text has arrived from the server. */
  text: string | null;
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
    cell: (info) => {
      const text = info.getValue();
      // Same height as a text: rows never move when their texts arrive.
      return text === null ? (
        <span className="prompt-cell text-pending" aria-busy="true">
          <span className="text-pending-bar" />
        </span>
      ) : (
        <span className="prompt-cell" title={text}>
          <MathText text={text} inline />
        </span>
      );
    },
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
/** Rows above and below the visible ones whose texts are fetched too (a little scrolling finds them there). */
const TEXT_OVERSCAN = 40;

export function PromptTable({
  model,
  texts,
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
  texts: PromptTextStore;
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
  // Past the browsers' height cap (a million rows) the scroll space is compressed
  // (lib/view/table-scroll.ts): the virtualiser sees shorter rows, rows are drawn at 34 px.
  const itemSize = scrollScale(order.length, ROW_HEIGHT, 0).itemSize;
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => itemSize,
    overscan: 8,
    initialRect: { width: 1000, height: 560 },
  });
  const viewport = virtualizer.scrollRect?.height ?? 560;
  const scale = scrollScale(order.length, ROW_HEIGHT, viewport);
  // Compressed, rows are placed from the scroll position itself: redraw on every scroll, not
  // only when the virtualiser's range moves.
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  useEffect(() => {
    const el = scrollRef.current;
    if (!scale.scaled || !el) return;
    el.addEventListener("scroll", redraw, { passive: true });
    return () => el.removeEventListener("scroll", redraw);
  }, [scale.scaled]);
  const scrollTop = (scale.scaled ? scrollRef.current?.scrollTop : virtualizer.scrollOffset) ?? 0;
  const [from, to] = order.length ? visibleRows(scale, order.length, ROW_HEIGHT, viewport, scrollTop) : [0, -1];
  const items = virtualizer.getVirtualItems().filter((item) => item.index >= from - 8 && item.index <= to + 8);
  const textsVersion = useTextsVersion(texts);

  // Ask for the texts of the rows in view, and of some rows either side.
  useEffect(() => {
    const lo = Math.max(0, from - TEXT_OVERSCAN);
    const hi = Math.min(order.length - 1, to + TEXT_OVERSCAN);
    const want: number[] = [];
    // The visible rows first, so they come in the first request.
    for (let j = from; j <= Math.min(to, order.length - 1); j++) want.push(order[j]);
    for (let j = lo; j <= hi; j++) if (j < from || j > to) want.push(order[j]);
    texts.want("table", want);
  }, [texts, order, from, to]);

  const data = useMemo<PromptRow[]>(
    () =>
      items.map((item) => {
        const i = order[item.index];
        const score = scoreOf(model, i);
        return {
          ordinal: i,
          text: texts.get(i) ?? null,
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
    [items.map((x) => x.index).join(","), order, model, threshold, texts, textsVersion],
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
    if (pos < 0) return;
    const el = scrollRef.current;
    const sc = scrollScale(orderRef.current.length, ROW_HEIGHT, el?.clientHeight ?? 560);
    if (!sc.scaled) virtualizer.scrollToIndex(pos, { align: "auto" });
    else if (el) el.scrollTop = scrollTopFor(sc, pos, ROW_HEIGHT, el.clientHeight, el.scrollTop);
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
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative", overflow: "hidden" }}>
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
                  style={{ transform: `translateY(${rowTop(scale, item.index, ROW_HEIGHT, scrollTop)}px)`, height: ROW_HEIGHT }}
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
