"use client";
import { useState } from "react";
import { MathText } from "../math-text";

/** A folded text's tail: rendered when opened; plain text when it is too long for its math. */
export function FoldedRest({ text, hidden, math, total }: { text: string; hidden: number; math: boolean; total: number }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show the remaining {total.toLocaleString("en-US")} characters</summary>
      {open && (math ? <MathText text={text} /> : <pre className="long-text">{text}</pre>)}
      {open && hidden > 0 && <p className="muted">… {hidden.toLocaleString("en-US")} more characters are not shown here; the export holds the whole text.</p>}
    </details>
  );
}
