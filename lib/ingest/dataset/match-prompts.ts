import type { DatasetIndex } from "./dataset-index";
import { describeTemplate, learnTemplates, parseTemplate, QuestionFinder, stripTemplate, unescapeTemplate, type Template } from "./learn-template";

export interface MatchOptions {
  /** Log keys are ids: match them to the dataset's ids. Otherwise keys are trimmed texts. */
  byId: boolean;
  /** The user's template ("...{prompt}..."); absent, templates are learned when exact text fails. */
  template?: string;
  /** Templates learned before (an earlier read of the same log): tried before learning more. */
  known?: readonly Template[];
  /** Dataset entries matched elsewhere, marked by entry (see DatasetIndex): their rows are seen too. Marked further here. */
  seen?: Uint8Array;
}

export interface TemplateUse {
  template: Template;
  /** True when learned from the log and the dataset, false when the user gave it. */
  learned: boolean;
  matched: number;
}

/** What each log prompt became, in the order given, and how the matches were made. */
export interface MatchResult {
  /** The sample's stored prompt: the dataset's question when matched, else the logged text. */
  prompts: string[];
  rows: (number | null)[];
  exact: number;
  byId: number;
  templates: TemplateUse[];
  unmatched: number;
  /** Dataset rows (every repeat counts) whose prompt no log prompt matched. */
  unseenRows: number;
}

/**
 * Resolves each log prompt to a dataset row. By id: the row with that id. By text: the row
 * with the same trimmed text, else - when the log holds chat-templated prompts and the
 * dataset the raw questions - the row whose question is what is left after stripping a
 * template (the user's, or ones learned from a few sampled prompts: learn-template.ts).
 * Linear in the number of prompts and their length: no prompt is compared with every question.
 */
export function matchPrompts(keys: readonly string[], texts: readonly string[], index: DatasetIndex, o: MatchOptions): MatchResult {
  const prompts = texts.slice();
  const rows: (number | null)[] = new Array(keys.length).fill(null);
  const r: MatchResult = { prompts, rows, exact: 0, byId: 0, templates: [], unmatched: 0, unseenRows: 0 };
  // A matched prompt is stored as its row's question: the rows of that question were seen.
  const seen = o.seen ?? new Uint8Array(index.prompts);
  const take = (i: number, row: number, prompt: string, entry: number) => {
    rows[i] = row;
    prompts[i] = prompt;
    if (entry >= 0) seen[entry] = 1;
  };
  const pending: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (o.byId) {
      const e = index.byId.get(keys[i]);
      if (e) {
        take(i, e.first, e.prompt, index.entryOf(e.prompt));
        r.byId++;
      } else pending.push(i);
      continue;
    }
    const e = index.entryOf(texts[i]);
    if (e >= 0) {
      take(i, index.firstRowOf(e), index.promptOf(e), e);
      r.exact++;
    } else pending.push(i);
  }
  /** Matches what each template can, in order; a prompt matched by one is done. */
  const apply = (uses: TemplateUse[]) => {
    for (const use of uses) {
      for (let j = 0; j < pending.length; j++) {
        const i = pending[j];
        if (i < 0) continue;
        const q = stripTemplate(use.template, texts[i]);
        const e = q === null ? -1 : index.entryOf(q);
        if (e < 0) continue;
        take(i, index.firstRowOf(e), index.promptOf(e), e);
        use.matched++;
        pending[j] = -1;
      }
    }
  };
  if (!o.byId && pending.length > 0) {
    const isQuestion = (q: string) => index.has(q);
    let templates: TemplateUse[];
    if (o.template !== undefined) templates = [{ template: givenTemplate(o.template, pending.map((i) => texts[i]), isQuestion), learned: false, matched: 0 }];
    else {
      templates = (o.known ?? []).map((template) => ({ template, learned: true, matched: 0 }));
      apply(templates);
      const left = pending.filter((i) => i >= 0).map((i) => texts[i]);
      if (left.length > 0) {
        const finder = new QuestionFinder(index.questions());
        templates.push(...learnTemplates(left, finder).map((template) => ({ template, learned: true, matched: 0 })));
      }
    }
    apply(templates);
    r.templates = templates.filter((t) => t.matched > 0 || !t.learned);
  }

  r.unmatched = rows.reduce<number>((n, row) => n + (row === null ? 1 : 0), 0);
  r.unseenRows = index.unseenRowsExcept(seen);
  return r;
}

/** The user's template as written, or with shell escapes (\n) read as characters when that matches more. */
function givenTemplate(text: string, pending: string[], isQuestion: (q: string) => boolean): Template {
  const t = parseTemplate(text);
  const u = unescapeTemplate(t);
  if (!u) return t;
  const hits = (x: Template) => pending.reduce((n, p) => n + (isQuestionOf(x, p, isQuestion) ? 1 : 0), 0);
  return hits(u) > hits(t) ? u : t;
}

function isQuestionOf(t: Template, text: string, isQuestion: (q: string) => boolean): boolean {
  const q = stripTemplate(t, text);
  return q !== null && isQuestion(q);
}

/** One line for the run's notes and the user: how many prompts matched, and how. */
export function describeMatch(m: MatchResult, total: number, file: string, idNote?: string): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const parts: string[] = [];
  if (m.byId > 0 || idNote) parts.push(`${n(m.byId)} by id${idNote ? ` (${idNote})` : ""}`);
  if (m.exact > 0 || (!idNote && m.templates.length === 0)) parts.push(`${n(m.exact)} by exact text`);
  for (const t of m.templates) parts.push(`${n(t.matched)} through ${t.learned ? "a template learned from the log" : "the given template"} (${describeTemplate(t.template)})`);
  return `matched ${n(total - m.unmatched)} of ${n(total)} log prompts to rows of ${file}: ${parts.join(", ")}`;
}
