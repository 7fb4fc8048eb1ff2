/**
 * The run page's data as one binary body: a small JSON header (everything the page shows that
 * is not per prompt) followed by typed arrays, one column each, that the browser reads in place
 * (views over the received ArrayBuffer, no per-prompt objects). At a million prompts this is
 * ~25 MB before gzip, against ~200 MB of JSON objects, and decodes in no measurable time.
 *
 *   offset 0   "LIMV"                    magic
 *          4   u32  format version       (1)
 *          8   u32  header length H      (bytes of UTF-8 JSON)
 *         12   header JSON               RunViewHeader plus `sections`
 *          D = 12 + H rounded up to 8    data start
 *   D + each section's offset            the arrays, little-endian, each starting 8-byte aligned
 *
 * Sections (offsets and lengths in the header, relative to D):
 *   scores     Float64Array  n           LIM score, NaN when excluded
 *   exclusion  Uint8Array    n           EXCLUSION_CODES (0: scored)
 *   rollouts   Uint32Array   n           rollouts logged
 *   accuracyValues Float64Array      the distinct logged accuracies, [0] = NaN (packed-array.ts)
 *   accuracy   Uint16Array   n * epochs  per (prompt, epoch), prompt-major (p * epochs + k), its index
 *              (Uint32Array past 65,536 distinct values) in accuracyValues: lossless, so the
 *              browser scores every method from the very doubles the CLI does
 * Prompt texts are not in it: the page asks for the rows it shows (the texts route).
 * Pure: runs in the server (encode) and the browser (decode).
 */
import type { EpochMode, SuccessRule } from "../lim/types";
import type { LogShape } from "../methods/warnings";
import type { RunInfo } from "./run-info";

export const RUN_VIEW_MAGIC = "LIMV";
export const RUN_VIEW_VERSION = 2;

/** What the page shows that is not per prompt. */
export interface RunViewHeader {
  run: RunInfo;
  params: {
    stepsPerEpoch: number;
    maxEpochs: number;
    successReward: number;
    epochMode: EpochMode;
    /** The run's success rule, and for "logged" the field the log gave success in (when ingest noted it). */
    successRule: SuccessRule;
    successField: string | null;
    /** Complete epochs (by visits: the visits 95% of prompts reached). */
    epochsInLog: number;
    /** By visits: the fewest and most visits of any prompt; null by steps. */
    visits: { fewest: number; usual: number; most: number } | null;
  };
  /** Epochs in the window (0 for runs made from published scores). */
  epochs: number;
  /** Prompts in the run (every column has this many entries per prompt). */
  prompts: number;
  average: number[];
  /** 25th and 75th percentile of the kept prompts' (back-filled) accuracy per epoch. */
  q25: number[];
  q75: number[];
  /** Steps and heavy prompts of the stored log, for the methods' warnings; null without a log. */
  logShape: LogShape | null;
}

/** The per-prompt columns, in ordinal order. */
export interface RunViewColumns {
  scores: Float64Array;
  exclusion: Uint8Array;
  rollouts: Uint32Array;
  /** `epochs` indices into accuracyValues per prompt (see packed-array.ts). */
  accuracy: Uint16Array | Uint32Array;
  accuracyValues: Float64Array;
}

export interface RunViewBody {
  header: RunViewHeader;
  columns: RunViewColumns;
}

type ColumnName = keyof RunViewColumns;
const KINDS = { f64: Float64Array, u8: Uint8Array, u32: Uint32Array, u16: Uint16Array } as const;
type Kind = keyof typeof KINDS;
const LAYOUT: { name: ColumnName; kind: Kind }[] = [
  { name: "scores", kind: "f64" },
  { name: "exclusion", kind: "u8" },
  { name: "rollouts", kind: "u32" },
  { name: "accuracyValues", kind: "f64" },
  { name: "accuracy", kind: "u16" },
];

/** A column's element type as it is (the accuracy index widens to uint32 for a large dictionary). */
function kindOf(arr: RunViewColumns[ColumnName], fallback: Kind): Kind {
  return arr instanceof Uint32Array ? "u32" : arr instanceof Uint16Array ? "u16" : fallback;
}

interface Section {
  name: ColumnName;
  kind: Kind;
  /** Bytes from the data start; a multiple of 8. */
  offset: number;
  /** Elements. */
  length: number;
}

export class RunViewFormatError extends Error {}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const align8 = (x: number) => (x + 7) & ~7;

export function encodeRunView(body: RunViewBody): Uint8Array {
  const { header, columns } = body;
  const n = header.prompts;
  const expected: Record<ColumnName, number | null> = { scores: n, exclusion: n, rollouts: n, accuracy: n * header.epochs, accuracyValues: null };
  const sections: Section[] = [];
  let at = 0;
  for (const { name, kind: declared } of LAYOUT) {
    const length = columns[name].length;
    const kind = kindOf(columns[name], declared);
    if (expected[name] !== null && length !== expected[name]) throw new RunViewFormatError(`${name} holds ${length} values, expected ${expected[name]}`);
    sections.push({ name, kind, offset: at, length });
    at = align8(at + length * KINDS[kind].BYTES_PER_ELEMENT);
  }
  const json = new TextEncoder().encode(JSON.stringify({ ...header, sections }));
  const dataStart = align8(12 + json.length);
  const out = new Uint8Array(dataStart + at);
  out.set(new TextEncoder().encode(RUN_VIEW_MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, RUN_VIEW_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  for (const s of sections) {
    const arr = columns[s.name];
    const start = dataStart + s.offset;
    if (LITTLE_ENDIAN || arr.BYTES_PER_ELEMENT === 1) out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), start);
    else writeLittleEndian(dv, start, s.kind, arr);
  }
  return out;
}

/**
 * Reads a body back. The columns are views into `bytes`' buffer when it is 8-byte aligned (as
 * `Response.arrayBuffer()` is), copies otherwise.
 */
export function decodeRunView(input: ArrayBuffer | Uint8Array): RunViewBody {
  let bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== RUN_VIEW_MAGIC) throw new RunViewFormatError("not a run view body");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== RUN_VIEW_VERSION) throw new RunViewFormatError(`run view format ${version}, expected ${RUN_VIEW_VERSION}`);
  const jsonLength = dv.getUint32(8, true);
  if (12 + jsonLength > bytes.length) throw new RunViewFormatError("run view header runs past the body");
  const { sections, ...header } = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as RunViewHeader & { sections: Section[] };
  const dataStart = bytes.byteOffset + align8(12 + jsonLength);
  const columns = {} as Record<ColumnName, RunViewColumns[ColumnName]>;
  const buffer = bytes.buffer as ArrayBuffer;
  for (const s of sections) {
    const Ctor = KINDS[s.kind];
    const start = dataStart + s.offset;
    if (s.offset % 8 !== 0 || start + s.length * Ctor.BYTES_PER_ELEMENT > bytes.byteOffset + bytes.byteLength) throw new RunViewFormatError(`section ${s.name} is out of bounds`);
    columns[s.name] = LITTLE_ENDIAN || Ctor.BYTES_PER_ELEMENT === 1 ? new Ctor(buffer, start, s.length) : readLittleEndian(new DataView(buffer), start, s.kind, s.length);
  }
  for (const { name } of LAYOUT) if (!columns[name]) throw new RunViewFormatError(`run view body has no ${name}`);
  return { header, columns: columns as unknown as RunViewColumns };
}

// Big-endian hosts only (none of the platforms Node and the browsers run on today).
function writeLittleEndian(dv: DataView, at: number, kind: Kind, arr: RunViewColumns[ColumnName]): void {
  const size = KINDS[kind].BYTES_PER_ELEMENT;
  for (let i = 0; i < arr.length; i++, at += size) {
    if (kind === "f64") dv.setFloat64(at, arr[i], true);
    else if (kind === "u32") dv.setUint32(at, arr[i], true);
    else dv.setUint16(at, arr[i], true);
  }
}

function readLittleEndian(dv: DataView, at: number, kind: Kind, length: number): RunViewColumns[ColumnName] {
  const out = new KINDS[kind](length);
  const size = out.BYTES_PER_ELEMENT;
  for (let i = 0; i < length; i++, at += size) out[i] = kind === "f64" ? dv.getFloat64(at, true) : kind === "u32" ? dv.getUint32(at, true) : dv.getUint16(at, true);
  return out;
}
