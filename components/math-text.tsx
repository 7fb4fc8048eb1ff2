"use client";
import katex from "katex";
import { memo } from "react";
import { splitMath } from "../lib/view/prompt-text";

/**
 * Untrusted text with its math rendered by KaTeX (trust off, errors shown in place): plain
 * parts stay React text nodes, so nothing in a prompt or response is ever parsed as HTML.
 * Rendered formulas are cached: the table re-renders the same rows while scrolling.
 */
const cache = new Map<string, string>();
const CACHE_MAX = 5000;

function renderTex(tex: string, display: boolean): string {
  const key = `${display ? "D" : "I"}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: display, throwOnError: false, trust: false, strict: "ignore", output: "html" });
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, html);
  }
  return html;
}

export const MathText = memo(function MathText({ text, inline = false }: { text: string; inline?: boolean }) {
  const parts = splitMath(text);
  return (
    <>
      {parts.map((p, i) =>
        p.kind === "text" ? (
          <span key={i}>{p.value}</span>
        ) : (
          <span key={i} className={p.display && !inline ? "math-display" : undefined} dangerouslySetInnerHTML={{ __html: renderTex(p.value, p.display && !inline) }} />
        ),
      )}
    </>
  );
});
