import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { inflateSync } from "node:zlib";
import { savedSetFile } from "../db";
import type { ExportFormat } from "../export/export-file";
import { setManifest, type SetManifest } from "./set-manifest";
import { requireSet } from "./set-store";
import type { SavedSet } from "./types";

export interface SetExport {
  set: SavedSet;
  format: ExportFormat;
  /** The bytes `lim export` wrote at save time for these parameters. */
  bytes: Buffer;
  sha256: string;
  /** The manifest as of save time, naming `file` (see setManifest). */
  manifest(file: string): SetManifest;
}

/**
 * A saved set's export in `format` (default: the format it was saved with): exactly the bytes
 * `lim export` wrote for its parameters at save time, checked against their stored SHA-256.
 */
export async function setExport(name: string, format?: ExportFormat): Promise<SetExport> {
  const set = await requireSet(name);
  const f = format ?? set.format;
  const info = set.files.find((x) => x.format === f);
  const file = await savedSetFile(set.id, f);
  if (!info || !file) throw new Error(`set "${name}" holds no ${f} export (it holds ${set.files.map((x) => x.format).join(", ")})`);
  const bytes = inflateSync(Buffer.concat(file.chunks));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== info.sha256 || bytes.length !== info.bytes) {
    throw new Error(`set "${name}": the stored ${f} bytes do not match their SHA-256 (${info.sha256}); the database is damaged`);
  }
  return { set, format: f, bytes, sha256, manifest: (out) => setManifest(set, f, file.manifest, out) };
}

/** The bytes alone (a web download). */
export async function setExportBytes(name: string, format?: ExportFormat): Promise<Buffer> {
  return (await setExport(name, format)).bytes;
}

/**
 * Writes a set's export to a file (beside it, then renamed into place, as lim export does) or
 * to an open stream, left open.
 */
export async function writeSetExport(name: string, format: ExportFormat | undefined, out: string | Writable): Promise<SetExport> {
  const e = await setExport(name, format);
  if (typeof out !== "string") {
    if (!out.write(e.bytes)) await new Promise<void>((resolve, reject) => {
      out.once("drain", resolve);
      out.once("error", reject);
    });
    return e;
  }
  const partial = `${out}.partial-${process.pid}`;
  const file = createWriteStream(partial);
  try {
    file.end(e.bytes);
    await finished(file);
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return e;
}
