/**
 * Prompt text as the dashboard shows it. Logged prompts may carry a chat template around the
 * question; lists show the question, collapsed to one line. Math is split out for KaTeX so the
 * rest stays plain text: prompts are untrusted and are never rendered as HTML.
 */

const USER_TURNS: RegExp[] = [
  /<\|im_start\|>user\s*([\s\S]*?)(?:<\|im_end\|>|$)/,
  /<\|start_header_id\|>user<\|end_header_id\|>\s*([\s\S]*?)(?:<\|eot_id\|>|$)/,
  /<\|user\|>\s*([\s\S]*?)(?:<\|end\|>|<\|assistant\|>|$)/,
  /\[INST\]\s*([\s\S]*?)(?:\[\/INST\]|$)/,
];

/** The user's question inside a chat-templated prompt; the text itself when there is no template. */
export function promptQuestion(text: string): string {
  // Cheap pre-check: 100k plain prompts must not pay for four regex scans each.
  if (!text.includes("<|") && !text.includes("[INST]")) return text.trim();
  for (const re of USER_TURNS) {
    const m = re.exec(text);
    if (m && m[1].trim()) return m[1].trim();
  }
  return text.trim();
}

/** White space other than a single space: a run of spaces, or any other white space character. */
const NEEDS_COLLAPSE = /[^\S ]| {2}/;

/** The question on one line (white space collapsed), cut at `max` characters with an ellipsis. */
export function promptSnippet(text: string, max = 240): string {
  const q = promptQuestion(text);
  const cut = q.length > max * 2 ? q.slice(0, max * 2) : q;
  // Most questions have single spaces only: testing for anything else is far cheaper than a
  // replace (the server takes the snippets of a million prompts for the text order).
  const flat = NEEDS_COLLAPSE.test(cut) ? cut.replace(/\s+/g, " ").trim() : cut.trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export type TextSegment = { kind: "text"; value: string } | { kind: "math"; value: string; display: boolean };

const DELIMS: { open: string; close: string; display: boolean }[] = [
  { open: "$$", close: "$$", display: true },
  { open: "\\[", close: "\\]", display: true },
  { open: "\\(", close: "\\)", display: false },
  { open: "$", close: "$", display: false },
];

/**
 * Splits text into plain and math segments ($...$, $$...$$, \(...\), \[...\]). An escaped
 * dollar (\$) is text; an opening delimiter with no closing one stays text, so a snippet cut
 * in the middle of a formula still reads.
 */
export function splitMath(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let buf = "";
  let i = 0;
  const flush = () => {
    if (buf) out.push({ kind: "text", value: buf });
    buf = "";
  };
  while (i < text.length) {
    if (text[i] === "\\" && text[i + 1] === "$") {
      buf += "$";
      i += 2;
      continue;
    }
    const d = DELIMS.find((x) => text.startsWith(x.open, i));
    if (d) {
      const end = findClose(text, d.close, i + d.open.length);
      const body = end < 0 ? "" : text.slice(i + d.open.length, end);
      if (end >= 0 && body.trim() !== "") {
        flush();
        out.push({ kind: "math", value: body.trim(), display: d.display });
        i = end + d.close.length;
        continue;
      }
    }
    buf += text[i];
    i++;
  }
  flush();
  return out;
}

function findClose(text: string, close: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === "\\" && close === "$") {
      j++;
      continue;
    }
    if (text.startsWith(close, j)) return j;
  }
  return -1;
}
