import type { NewRun } from "../../db/types";
import type { IngestOptions } from "../ingest-options";
import { resolvePrompts, type LoadedDataset } from "../dataset/join-dataset";
import type { Template } from "../dataset/learn-template";
import { matchPrompts } from "../dataset/match-prompts";
import type { RunAggregator } from "../run-aggregator";

/** What new prompts became: the stored text and dataset row of each, in the order given. */
export interface Joined {
  prompts: string[];
  rows: (number | null)[];
}

/**
 * The dataset join of a watched run, prompt by prompt as they first appear. The first read
 * joins exactly as a one-shot ingest does (resolvePrompts: by id, exact text, or a template,
 * with its note); the prompts of later appends go through the same matcher (match-prompts.ts),
 * trying the templates learned so far before learning from them again. Counts are
 * kept over the whole run: a dataset row is unseen until some prompt matched it.
 */
export class WatchJoin {
  readonly notes: string[] = [];
  unmatchedPrompts = 0;
  private byId = false;
  /** Templates learned so far: later prompts try these before anything is learned again. */
  private learned: Template[] = [];
  private started = false;
  private readonly matched = new Set<string>();

  constructor(
    private readonly dataset: LoadedDataset | null,
    private readonly o: IngestOptions,
    private readonly say: (m: string) => void,
  ) {}

  /** The prompts of the first read (every prompt of `agg` is new). */
  first(agg: RunAggregator): Joined {
    this.started = true;
    const r = resolvePrompts(agg, this.dataset, this.o, this.say);
    this.byId = r.byId;
    this.learned = r.learned;
    this.notes.push(...r.notes);
    this.unmatchedPrompts = r.unmatchedPrompts;
    this.remember(r);
    return r;
  }

  /** Prompts first seen in an append: their keys (texts, or ids) and logged texts. */
  next(keys: string[], texts: string[]): Joined {
    if (!this.started) throw new Error("WatchJoin.next before first");
    if (!this.dataset || keys.length === 0) return { prompts: texts, rows: keys.map(() => null) };
    const m = matchPrompts(keys, texts, this.dataset.index, { byId: this.byId, template: this.o.promptTemplate, known: this.learned });
    for (const t of m.templates) if (t.learned && !this.learned.includes(t.template)) this.learned.push(t.template);
    this.unmatchedPrompts += m.unmatched;
    this.remember(m);
    return m;
  }

  /** The run fields the join decides. */
  fields(): Partial<NewRun> {
    const d = this.dataset;
    return {
      datasetRowCount: d?.index.rows ?? 0,
      unmatchedPrompts: this.unmatchedPrompts,
      unseenDatasetRows: d ? d.index.unseenRows((q) => this.matched.has(q)) : 0,
      idField: this.byId ? this.o.fields!.id! : null,
      datasetFormat: d?.info.format ?? null,
      datasetSchema: d?.info.schema ?? null,
    };
  }

  /** A matched prompt is stored as its row's question: that is what unseenRows looks up. */
  private remember(j: Joined): void {
    j.rows.forEach((row, i) => row !== null && this.matched.add(j.prompts[i]));
  }
}
