import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { IngestError, statGiven } from "../errors";
import { refuseWideEncoding, utf8BomLength } from "../scan/text-rules";

/** The formats `--format` accepts, auto first. */
export const LOG_FORMATS = ["auto", "openrlhf", "verl", "trl", "nemo-rl", "jsonl", "csv"] as const;

export interface DetectedFormat {
  format: string;
  /** What gave it away, for the message "format: trl (12 completions_NNNNN.parquet in run/completions)". */
  reason: string;
}

/** The step-file layouts of the trainers: a file name pattern and where it may sit under the given directory. */
const LAYOUTS = [
  { format: "openrlhf", pattern: /^step_\d+\.json$/, name: "step_N.json", subdirs: ["train"] },
  { format: "verl", pattern: /^\d+\.jsonl$/, name: "N.jsonl", subdirs: ["train"] },
  { format: "trl", pattern: /^completions_\d+\.parquet$/, name: "completions_NNNNN.parquet", subdirs: ["completions", "train"] },
  { format: "nemo-rl", pattern: /^train_data_step\d+\.jsonl$/, name: "train_data_stepN.jsonl", subdirs: ["train"] },
];

const EXPECTED =
  "expected step_N.json (openrlhf, in the folder or its train/), N.jsonl (verl), completions_NNNNN.parquet (trl, in the folder or its completions/), " +
  "train_data_stepN.jsonl (nemo-rl), or .jsonl / .csv files of rollouts (jsonl, csv)";
const PASS = "pass --format openrlhf|verl|trl|nemo-rl|jsonl|csv";

function entries(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) (e.isDirectory() ? dirs : e.isFile() ? files : []).push(e.name);
  return { files: files.sort(), dirs: dirs.sort() };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The first line of a file (at most 4 MB of it), parsed as a JSON object; null when it is not one. */
function firstObject(path: string): Record<string, unknown> | null {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    const parts: Buffer[] = [];
    for (let read = 0, at = 0; read < 4 << 20; ) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      parts.push(Buffer.from(buf.subarray(0, nl < 0 ? n : nl)));
      if (nl >= 0) break;
      read += n;
      at += n;
    }
    const line = Buffer.concat(parts);
    // A UTF-16 N.jsonl would read as "not a verl dump": say what it is, as the reader would.
    refuseWideEncoding(line, path);
    const v: unknown = JSON.parse(line.toString("utf8", utf8BomLength(line)));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch (e) {
    if (e instanceof IngestError) throw e;
    return null;
  } finally {
    closeSync(fd);
  }
}

/** A verl rollout dump line has the decoded prompt as `input` and the reward as `score`. */
const looksVerl = (o: Record<string, unknown> | null) => o !== null && "input" in o && "score" in o;

function listSample(names: string[], max = 6): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")}, ... (${names.length} in all)`;
}

/**
 * Which log format a path holds, from file names alone (and, for N.jsonl, whether its first
 * line looks like a verl dump): the trainers' layouts first, then plain .jsonl or .csv files.
 * A browser upload's folder holds only the files themselves, so every layout is also looked
 * for directly in the folder. When it cannot tell, the error says what it saw.
 */
export function detectFormat(path: string): DetectedFormat {
  const root = resolve(path);
  const st = statGiven(path, root);
  if (!st.isDirectory()) return detectFile(path, root);
  const { files, dirs } = entries(root);
  const found: { format: string; count: number; where: string; first: string }[] = [];
  for (const l of LAYOUTS) {
    for (const sub of ["", ...l.subdirs]) {
      const dir = sub ? join(root, sub) : root;
      if (sub && !isDir(dir)) continue;
      const names = (sub ? entries(dir).files : files).filter((n) => l.pattern.test(n));
      if (names.length === 0) continue;
      found.push({ format: l.format, count: names.length, where: sub ? join(path, sub) : path, first: join(dir, names[0]) });
      break;
    }
  }
  const say = (f: (typeof found)[number]) => `${f.count} ${LAYOUTS.find((l) => l.format === f.format)!.name} in ${f.where}`;
  // N.jsonl is also what a user may call the steps of their own JSONL export: check the content.
  const verl = found.find((f) => f.format === "verl");
  if (verl && !looksVerl(firstObject(verl.first))) {
    const keys = Object.keys(firstObject(verl.first) ?? {});
    if (found.length === 1) {
      throw new IngestError(
        `cannot tell the log format of ${path}: ${say(verl)} look like verl step files, but ${basename(verl.first)} has no "input" and "score" ` +
          `(its first line has: ${keys.join(", ") || "no JSON object"}); pass --format verl, or --format jsonl with --prompt-field/--reward-field/--step-field`,
        path,
      );
    }
    found.splice(found.indexOf(verl), 1);
  }
  if (found.length === 1) return { format: found[0].format, reason: say(found[0]) };
  if (found.length > 1) throw new IngestError(`cannot tell the log format of ${path}: it holds ${found.map(say).join(" and ")}; ${PASS}, or point at one run's folder`, path);
  const jsonl = files.filter((n) => n.toLowerCase().endsWith(".jsonl"));
  const csv = files.filter((n) => n.toLowerCase().endsWith(".csv"));
  if (jsonl.length > 0 && csv.length === 0) return { format: "jsonl", reason: `${jsonl.length} .jsonl file${jsonl.length === 1 ? "" : "s"} in ${path}` };
  if (csv.length > 0 && jsonl.length === 0) return { format: "csv", reason: `${csv.length} .csv file${csv.length === 1 ? "" : "s"} in ${path}` };
  const saw = [
    files.length ? `${files.length} file${files.length === 1 ? "" : "s"} (${listSample(files)})` : "no files",
    dirs.length ? `folders ${listSample(dirs.map((d) => `${d}/`))}` : "",
  ].filter(Boolean);
  const both = jsonl.length && csv.length ? ` (both .jsonl and .csv files: point at one file, or pass --format jsonl or --format csv)` : "";
  throw new IngestError(`cannot tell the log format of ${path}: it holds ${saw.join(" and ")}${both}; ${EXPECTED}; ${PASS}`, path);
}

function detectFile(path: string, abs: string): DetectedFormat {
  const name = basename(abs);
  const layout = LAYOUTS.find((l) => l.pattern.test(name));
  const isVerlStep = layout?.format === "verl" ? looksVerl(firstObject(abs)) : !!layout;
  if (layout && isVerlStep) {
    throw new IngestError(`${path} is one ${layout.format} step file (${layout.name}): pass the folder that holds the run's step files`, path);
  }
  const lower = name.toLowerCase();
  if (lower.endsWith(".jsonl")) return { format: "jsonl", reason: `${name} is a .jsonl file` };
  if (lower.endsWith(".csv")) return { format: "csv", reason: `${name} is a .csv file` };
  throw new IngestError(`cannot tell the log format of ${path}: a single file must be .jsonl or .csv; a trainer's log is a folder (${EXPECTED}); ${PASS}`, path);
}
