import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { skipWs } from "./json-bytes";
import type { PackedStepBatch } from "./pack-step-batch";
import { WholeFileReader } from "./read-whole-file";
import type { BatchOptions } from "./record";
import { scanOpenRlhfStepPacked, stepTable, walkElements, type WalkState } from "./scan-openrlhf-step";
import { refuseWideEncoding } from "./text-rules";

/** Bytes of a step file held at a time. */
export const PIECE_BYTES = 8 << 20;

/**
 * Scans OpenRLHF step files piece by piece: a scan thread holds 8 MB of a file at a time
 * instead of the whole file (92 MB a step at a million prompts, one per thread, was a third
 * of a million-prompt ingest's peak memory). A piece ends after its last whole element; the
 * rest is moved to the front and the file read on after it. Kept responses are copied out of
 * each piece before it is overwritten (StepTable.stageRaw).
 *
 * The pieces give the whole-file scan's result by construction: the same element walk over
 * the same bytes, each element read once the bytes after it are in the piece. Anything out
 * of the ordinary (bad JSON, invalid UTF-8, an array that does not start in the first piece)
 * is left to the whole-file scan (scanOpenRlhfStepPacked), which reads the file again and
 * says what is wrong exactly as it always has.
 */
export class StepFileScanner {
  private piece: Buffer;
  private readonly whole = new WholeFileReader();
  /** Files read whole: small ones, and bad ones (to say what is wrong). */
  readWhole = 0;

  /** pieceBytes: tests read in tiny pieces, so that every element crosses a piece's end somewhere. */
  constructor(private readonly pieceBytes = PIECE_BYTES) {
    this.piece = Buffer.allocUnsafeSlow(pieceBytes);
  }

  scan(path: string, o: BatchOptions): PackedStepBatch {
    const fd = openSync(path, "r");
    try {
      if (fstatSync(fd).size > this.pieceBytes) return this.inPieces(fd, o);
    } catch {
      // the whole-file scan below gives the result or the error
    } finally {
      closeSync(fd);
    }
    this.readWhole++;
    return scanOpenRlhfStepPacked(this.whole.read(path), o);
  }

  private inPieces(fd: number, o: BatchOptions): PackedStepBatch {
    const t = stepTable();
    t.reset(o);
    const s: WalkState = { element: -1, elementStart: -1, closed: false };
    let buf: Buffer = this.piece;
    let filled = 0; // bytes of buf holding the file from `base` on
    let base = 0;
    let checked = 0; // bytes of buf checked as UTF-8
    let at = 0; // where reading resumes in buf
    let eof = false;
    let started = false;
    for (;;) {
      if (filled === buf.length) buf = this.piece = grow(buf, filled); // an element longer than a piece
      const n = readSync(fd, buf, filled, buf.length - filled, base + filled);
      if (n === 0) eof = true;
      filled += n;
      const view = buf.subarray(0, filled);
      const complete = eof ? filled : utf8Cut(view);
      if (!isUtf8(view.subarray(checked, complete))) throw new Error("not UTF-8");
      checked = complete;
      if (!started) {
        refuseWideEncoding(view, o.file);
        at = view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf ? 3 : 0;
        at = skipWs(view, at);
        if (view[at] !== 0x5b) throw new Error("no array");
        at = skipWs(view, at + 1);
        if (at >= filled) throw new Error("no element in the first piece");
        started = true;
        if (view[at] === 0x5d) {
          s.closed = true;
          at++;
        }
      }
      if (!s.closed) at = walkElements(view, at, t, s, !eof);
      if (s.closed) {
        at = skipWs(view, at);
        if (at < filled) throw new Error("bytes after the array");
        if (eof) break;
      } else if (eof) throw new Error("the array does not close");
      if (at > checked) throw new Error("unchecked bytes"); // only where the walk stopped on something odd
      // Keep buf[at, filled) for the next piece.
      t.stageRaw(buf);
      buf.copy(buf, 0, at, filled);
      base += at;
      filled -= at;
      checked -= at;
      at = 0;
    }
    t.stageRaw(buf);
    return t.finish(base + filled, t.stagedBytes());
  }
}

/** The end of the last whole UTF-8 character in b (a character cut at the end is checked with the next piece). */
function utf8Cut(b: Uint8Array): number {
  const n = b.length;
  let i = n - 1;
  while (i >= 0 && i > n - 4 && (b[i] & 0xc0) === 0x80) i--;
  if (i < 0) return n;
  const c = b[i];
  const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return n - i < need ? i : n;
}

function grow(buf: Buffer, used: number): Buffer {
  const grown = Buffer.allocUnsafeSlow(2 * buf.length);
  buf.copy(grown, 0, 0, used);
  return grown;
}
