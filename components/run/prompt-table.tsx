"use client";
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useReducer, useRef } from "react";
import { CATEGORIES } from "../../lib/methods/categories";
import { formatInt, formatPercent, formatScore } from "../../lib/view/format";
import type { MethodColumns } from "../../lib/view/method-columns";
import { CATEGORY_LABELS } from "../../lib/view/method-labels";
import { GROUPS } from "../../lib/view/page-selection";
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
  /** The dataset's reference answer: null until it arrives, "" when the row has none. */
  answer: string | null;
  score: number | null;
  variance: number | null;
  learnability: number | null;
  linear: number | null;
  passRate: number | null;
  category: string | null;
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
const scoreCell = (v: number | null) => <span title={formatScore(v, 4)}>{formatScore(v)}</span>;

/**
 * Column definitions: TanStack owns headers, sort state and cell rendering. Ordering itself
 * runs in lib/view over typed arrays (manualSorting), and only the rows in view are handed to
 * the table: a row model of 100k rows would be rebuilt on every threshold move.
 */
const promptColumn = col.accessor("text", {
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
  });

/** The reference answer beside the prompt (the "read answers" view of hard-to-learn prompts). */
const answerColumn = col.accessor("answer", {
  id: "answer",
  header: "Reference answer",
  enableSorting: false,
  cell: (info) => {
    const a = info.getValue();
    if (a === null)
      return (
        <span className="prompt-cell text-pending" aria-busy="true">
          <span className="text-pending-bar" />
        </span>
      );
    return a === "" ? (
      <span className="muted" title="The dataset row has no answer field">
        —
      </span>
    ) : (
      <span className="prompt-cell answer-cell" title={a}>
        <MathText text={a} inline />
      </span>
    );
  },
});

const restColumns = [
  col.accessor("score", { id: "score", header: "LIM score", cell: (info) => scoreCell(info.getValue()) }),
  col.accessor("variance", { id: "variance", header: "Variance", cell: (info) => scoreCell(info.getValue()) }),
  col.accessor("learnability", { id: "learnability", header: "Learnability", cell: (info) => scoreCell(info.getValue()) }),
  col.accessor("linear", { id: "linear", header: "LINEAR", cell: (info) => scoreCell(info.getValue()) }),
  col.accessor("passRate", { id: "pass-rate", header: "Pass rate", cell: (info) => formatPercent(info.getValue()) }),
  col.accessor("category", { id: "category", header: "Category", cell: (info) => <span className={`category-tag cat-${info.getValue() ?? "none"}`}>{info.getValue() ?? "—"}</span> }),
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
];

const columns = col.columns([promptColumn, ...restColumns]);
const columnsWithAnswers = col.columns([promptColumn, answerColumn, ...restColumns]);
/** Widths per column id, in the order above (the prompt and the answer share what is left). */
const WIDTHS: Record<string, string> = {
  prompt: "minmax(180px, 1fr)",
  answer: "minmax(120px, 0.6fr)",
  score: "86px",
  variance: "78px",
  learnability: "98px",
  linear: "70px",
  "pass-rate": "80px",
  category: "104px",
  first: "94px",
  last: "92px",
  rollouts: "78px",
  trajectory: "96px",
  selected: "74px",
};
const CATEGORY_NAMES = CATEGORIES.map((c) => CATEGORY_LABELS[c]);

const NUMERIC = new Set(["score", "variance", "learnability", "linear", "pass-rate", "first", "last", "rollouts", "selected"]);
const ROW_HEIGHT = 34;
/** Rows above and below the visible ones whose texts are fetched too (a little scrolling finds them there). */
const TEXT_OVERSCAN = 40;

export function PromptTable({
  model,
  methods,
  groups,
  texts,
  answers,
  order,
  sort,
  desc,
  active,
  onSort,
  onActivate,
  onOpen,
  listKey,
}: {
  model: RunModel;
  methods: MethodColumns;
  /** Per prompt, its group under the chosen method (page-selection.ts GROUPS). */
  groups: Uint8Array;
  texts: PromptTextStore;
  /** The reference answers' store when the answer column is on. */
  answers: PromptTextStore | null;
  order: Int32Array;
  sort: SortKey;
  desc: boolean;
  active: number | null;
  onSort: (key: SortKey, desc: boolean) => void;
  onActivate: (ordinal: number) => void;
  onOpen: (ordinal: number) => void;
  /** Changes when the rows become another list (filter, focus, sort): it then starts at its top. */
  listKey: string;
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
  const answersVersion = useTextsVersion(answers ?? texts);

  // Ask for the texts of the rows in view, and of some rows either side.
  useEffect(() => {
    const lo = Math.max(0, from - TEXT_OVERSCAN);
    const hi = Math.min(order.length - 1, to + TEXT_OVERSCAN);
    const want: number[] = [];
    // The visible rows first, so they come in the first request.
    for (let j = from; j <= Math.min(to, order.length - 1); j++) want.push(order[j]);
    for (let j = lo; j <= hi; j++) if (j < from || j > to) want.push(order[j]);
    texts.want("table", want);
    // Answers are looked up one dataset row at a time: the visible rows only.
    answers?.want("table", want.slice(0, Math.max(0, Math.min(to, order.length - 1) - from + 1)));
  }, [texts, answers, order, from, to]);

  const data = useMemo<PromptRow[]>(
    () =>
      items.map((item) => {
        const i = order[item.index];
        const score = scoreOf(model, i);
        const s = methods.scores;
        const of = (m: "variance" | "learnability" | "linear" | "pass-rate") => (s[m] ? nan(s[m]!.score[i]) : null);
        return {
          ordinal: i,
          text: texts.get(i) ?? null,
          answer: answers?.get(i) ?? null,
          score,
          variance: of("variance"),
          learnability: of("learnability"),
          linear: of("linear"),
          passRate: of("pass-rate"),
          category: methods.category ? CATEGORY_NAMES[methods.category[i]] : null,
          first: nan(model.first[i]),
          last: nan(model.last[i]),
          rollouts: model.rollouts[i],
          trajectory: loggedAccuracy(model, i),
          selected: groups[i] === GROUPS.selected,
          excluded: groups[i] === GROUPS.excluded,
        };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [items.map((x) => x.index).join(","), order, model, methods, groups, texts, textsVersion, answers, answersVersion],
  );
  const shown = answers ? columnsWithAnswers : columns;
  const template = shown.map((c) => WIDTHS[c.id as string]).join(" ");

  const sorting = useMemo<SortingState>(() => (sort === "ordinal" ? [] : [{ id: sort, desc }]), [sort, desc]);
  const table = useTable({
    features,
    columns: shown,
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

  const firstList = useRef(true);
  useEffect(() => {
    if (firstList.current) {
      firstList.current = false;
      return;
    }
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [listKey]);

  const rows = table.getRowModel().rows;
  return (
    <div className="prompt-table" role="table" aria-label="Prompts" aria-rowcount={order.length + 1} style={{ ["--pt-columns" as string]: template }}>
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
                  {header.column.getCanSort() ? (
                    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()} title={header.id === "trajectory" ? "Sort by mean accuracy across epochs" : `Sort by ${header.id}`}>
                      <table.FlexRender header={header} />
                      <span className="sort-mark" aria-hidden="true">
                        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                      </span>
                    </button>
                  ) : (
                    <span className="sort-button">
                      <table.FlexRender header={header} />
                    </span>
                  )}
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
