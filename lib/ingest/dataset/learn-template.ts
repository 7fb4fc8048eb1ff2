import { IngestError } from "../errors";
import { trimPrompt } from "../scan/trim-prompt";

/**
 * The constant text around the question in a logged prompt: a chat template, say
 * "<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n". Both ends are kept trimmed,
 * like the logged prompts they are matched against (the question between them is trimmed too).
 */
export interface Template {
  prefix: string;
  suffix: string;
}

/** The user's template: text with "{prompt}" exactly once where the question goes. */
export function parseTemplate(text: string): Template {
  const parts = text.split("{prompt}");
  if (parts.length !== 2) throw new IngestError(`the prompt template (--prompt-template) must contain "{prompt}" exactly once, got ${JSON.stringify(text)}`, undefined, undefined, undefined, "promptTemplate");
  return { prefix: parts[0].trim(), suffix: parts[1].trim() };
}

/** The same template with \n, \t and \r written as escapes (as typed in a shell) turned into the characters. */
export function unescapeTemplate(t: Template): Template | null {
  const un = (s: string) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\r/g, "\r");
  const u = { prefix: un(t.prefix).trim(), suffix: un(t.suffix).trim() };
  return u.prefix === t.prefix && u.suffix === t.suffix ? null : u;
}

function hasShape(t: Template, text: string): boolean {
  return text.length >= t.prefix.length + t.suffix.length && text.startsWith(t.prefix) && text.endsWith(t.suffix);
}

/** The question inside a trimmed logged prompt, trimmed; null when the prompt does not have this template's shape. */
export function stripTemplate(t: Template, text: string): string | null {
  if (!hasShape(t, text)) return null;
  return trimPrompt(text.slice(t.prefix.length, text.length - t.suffix.length));
}

/** Longest anchor: long enough to be rare, short enough that most questions have a full one. */
const ANCHOR = 16;
/** Questions shorter than this are matched through learned templates but never teach one. */
const MIN_QUESTION = 8;

/**
 * Finds dataset questions inside a text without comparing every question: each question is
 * indexed by a short anchor taken from its middle (questions often share an opening or a
 * closing instruction, rarely their middle), and a text is scanned once, looking each window
 * up. A few sampled prompts are scanned, never the whole log.
 */
export class QuestionFinder {
  private readonly byAnchor = new Map<string, number[]>();
  private readonly lengths: number[];

  constructor(private readonly questions: readonly string[]) {
    const lengths = new Set<number>();
    questions.forEach((q, i) => {
      // A very short question ("x", "12") turns up inside any text: it would teach nonsense.
      if (q.length < MIN_QUESTION) return;
      const a = this.anchorOf(q);
      let list = this.byAnchor.get(a);
      if (!list) this.byAnchor.set(a, (list = []));
      list.push(i);
      lengths.add(a.length);
    });
    this.lengths = [...lengths];
  }

  private anchorOf(q: string): string {
    const len = Math.min(ANCHOR, q.length);
    const at = (q.length - len) >> 1;
    return q.slice(at, at + len);
  }

  /** The longest question found in `text` and where it starts, or null. */
  find(text: string): { start: number; question: string } | null {
    let best: { start: number; question: string } | null = null;
    for (let i = 0; i < text.length; i++) {
      for (const len of this.lengths) {
        if (i + len > text.length) continue;
        const list = this.byAnchor.get(text.slice(i, i + len));
        if (!list) continue;
        for (const qi of list) {
          const q = this.questions[qi];
          const start = i - ((q.length - len) >> 1);
          if (start < 0 || (best && q.length <= best.question.length)) continue;
          if (text.startsWith(q, start)) best = { start, question: q };
        }
      }
    }
    return best;
  }
}

/** Prompts sampled per round, spread evenly over those still unmatched. */
const SAMPLE = 24;

/**
 * Learns the templates that wrap dataset questions in logged prompts. Each round samples the
 * prompts still unmatched, finds a question inside each, and votes on the text before and
 * after it; the winner must be shared by at least two sampled prompts, then it is applied to
 * all prompts and the next round looks at what is left.
 */
export function learnTemplates(unmatched: readonly string[], finder: QuestionFinder, maxTemplates = 4): Template[] {
  const out: Template[] = [];
  let left = unmatched;
  while (out.length < maxTemplates && left.length > 0) {
    const step = Math.max(1, Math.floor(left.length / SAMPLE));
    const votes = new Map<string, { t: Template; n: number }>();
    let sampled = 0;
    for (let i = 0; i < left.length && sampled < SAMPLE; i += step, sampled++) {
      const hit = finder.find(left[i]);
      if (!hit) continue;
      const t = { prefix: left[i].slice(0, hit.start).trimEnd(), suffix: left[i].slice(hit.start + hit.question.length).trimStart() };
      if (t.prefix === "" && t.suffix === "") continue;
      const k = `${t.prefix}\u0000${t.suffix}`;
      const v = votes.get(k);
      if (v) v.n++;
      else votes.set(k, { t, n: 1 });
    }
    let best: { t: Template; n: number } | null = null;
    for (const v of votes.values()) if (!best || v.n > best.n) best = v;
    // Two prompts sharing the text around their questions: a template, not a coincidence.
    if (!best || best.n < 2) break;
    const t = best.t;
    out.push(t);
    // What has this template's shape is this template's to match (cheaper than stripping each).
    left = left.filter((text) => !hasShape(t, text));
  }
  return out;
}

/** A template for a message: each end as a JSON string, long ends cut in the middle. */
export function describeTemplate(t: Template, max = 64): string {
  const cut = (s: string) => {
    const j = JSON.stringify(s);
    return j.length <= max ? j : `${j.slice(0, max / 2 - 1)}…${j.slice(j.length - max / 2 + 1)}`;
  };
  return `prefix ${cut(t.prefix)}, suffix ${cut(t.suffix)}`;
}
