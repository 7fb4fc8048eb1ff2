/**
 * The Compare page's data as one binary body: a JSON header (the counts `lim compare-runs --json`
 * prints, the key, the threshold) and the join (lib/compare/join-runs.ts) as typed arrays the
 * browser reads in place: no object per prompt.
 *
 *   offset 0   "LIMC", u32 version (1), u32 header length H, header JSON (UTF-8)
 *   D = 12 + H rounded up to 8, then for n joined prompts, each column 8-byte aligned:
 *   scoresA Float64 n, scoresB Float64 n, ordinalsA Uint32 n, ordinalsB Uint32 n, selected Uint8 n
 * Little-endian, as every platform Node and the browsers run on. Pure.
 */
import type { JoinedRuns } from "../compare/join-runs";
import type { CompareRunsSummary } from "../runs/compare-runs";

export const COMPARE_MAGIC = "LIMC";
export const COMPARE_VERSION = 1;

export interface CompareHeader {
  summary: CompareRunsSummary;
  /** What prompts were joined by. */
  key: "id" | "text";
  /** LIM's threshold both selections used. */
  threshold: number;
}

export interface CompareBody {
  header: CompareHeader;
  joined: JoinedRuns;
}

export class CompareFormatError extends Error {}

const align8 = (x: number) => (x + 7) & ~7;
const COLUMNS = [
  ["scoresA", 8],
  ["scoresB", 8],
  ["ordinalsA", 4],
  ["ordinalsB", 4],
  ["selected", 1],
] as const;

function layout(n: number): number[] {
  const at: number[] = [];
  let x = 0;
  for (const [, size] of COLUMNS) {
    at.push(x);
    x = align8(x + n * size);
  }
  at.push(x);
  return at;
}

export function encodeCompare(body: CompareBody): Uint8Array {
  const j = body.joined;
  const n = j.count;
  const json = new TextEncoder().encode(JSON.stringify({ ...body.header, count: n, unjoinedA: j.unjoinedA, unjoinedB: j.unjoinedB }));
  const start = align8(12 + json.length);
  const at = layout(n);
  const out = new Uint8Array(start + at[COLUMNS.length]);
  out.set(new TextEncoder().encode(COMPARE_MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, COMPARE_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  COLUMNS.forEach(([name], i) => {
    const arr = j[name];
    if (arr.length !== n) throw new CompareFormatError(`${name} holds ${arr.length} values, expected ${n}`);
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), start + at[i]);
  });
  return out;
}

/** Reads a body back; the columns are views into the buffer when it is 8-byte aligned, copies otherwise. */
export function decodeCompare(input: ArrayBuffer | Uint8Array): CompareBody {
  let bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== COMPARE_MAGIC) throw new CompareFormatError("not a compare body");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== COMPARE_VERSION) throw new CompareFormatError(`compare format ${version}, expected ${COMPARE_VERSION}`);
  const h = dv.getUint32(8, true);
  if (12 + h > bytes.length) throw new CompareFormatError("compare header runs past the body");
  const { count: n, unjoinedA, unjoinedB, ...header } = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h))) as CompareHeader & { count: number; unjoinedA: number; unjoinedB: number };
  const start = bytes.byteOffset + align8(12 + h);
  const at = layout(n);
  if (start + at[COLUMNS.length] > bytes.byteOffset + bytes.length) throw new CompareFormatError("compare body is shorter than its columns");
  const buf = bytes.buffer as ArrayBuffer;
  const joined: JoinedRuns = {
    count: n,
    scoresA: new Float64Array(buf, start + at[0], n),
    scoresB: new Float64Array(buf, start + at[1], n),
    ordinalsA: new Uint32Array(buf, start + at[2], n),
    ordinalsB: new Uint32Array(buf, start + at[3], n),
    selected: new Uint8Array(buf, start + at[4], n),
    unjoinedA,
    unjoinedB,
  };
  return { header, joined };
}
