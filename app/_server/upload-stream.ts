/**
 * A browser upload read as it arrives: the multipart body is parsed by busboy and every file
 * part is written straight into a private temporary folder (mkdtemp, mode 0700), logs in
 * train/ and the dataset beside it, so the server never holds a file whole, whatever its size.
 * The cap counts the body's bytes as they come: the moment the total passes it, reading stops,
 * the folder is removed and the caller answers 413. Reading never cancels the body: cancelling
 * it would reset the connection before the browser could read the answer.
 */
import Busboy from "busboy";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { formatBytes } from "../../lib/view/format";
import { safeFileName, uploadPassedCap, uploadTooBig } from "../../lib/view/upload-events";
import { DATASET_EXTENSIONS, isDatasetFile, isLogFile, UPLOAD_FORMATS, type UploadFormat } from "../../lib/view/upload-files";

/** An upload refused, with the status to answer and a message in words. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 500 | 503,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_UPLOAD_MAX_MB = 2048;

/** The cap on one upload's body: LIM_UPLOAD_MAX_MB megabytes, 2 GB by default. */
export function uploadMaxBytes(env: Record<string, string | undefined> = process.env): number {
  const given = env.LIM_UPLOAD_MAX_MB?.trim();
  if (!given) return DEFAULT_UPLOAD_MAX_MB * 1024 ** 2;
  const mb = Number(given);
  if (!Number.isFinite(mb) || mb <= 0) throw new UploadRefused(500, `LIM_UPLOAD_MAX_MB must be a positive number of megabytes, got "${given}"`);
  return Math.floor(mb * 1024 ** 2);
}

/** The cap for the page, which refuses a bigger upload before sending it; null when the setting is unusable (the upload then says why). */
export function uploadCapOrNull(): number | null {
  try {
    return uploadMaxBytes();
  } catch {
    return null;
  }
}

/** The 413 for a Content-Length that already says too much. */
export function declaredTooBig(length: number, maxBytes: number): UploadRefused {
  return new UploadRefused(413, uploadTooBig(length, maxBytes));
}

export interface StoredFile {
  /** The name the browser sent. */
  uploadedAs: string;
  /** Where it was written, inside the upload's folder. */
  path: string;
  bytes: number;
}

export interface ReceivedUpload {
  /** The private folder holding the files; the caller removes it (removeUpload) when done. */
  dir: string;
  /** The form's text fields, as sent. */
  fields: Record<string, string>;
  /** The logs, in dir/train, in the order they came. */
  logs: StoredFile[];
  dataset: StoredFile | null;
  /** The body's size. */
  bytes: number;
}

const FIELD_LIMIT = 64 * 1024;

/**
 * Reads a multipart upload (text fields, files "logs" and an optional "dataset") into a new
 * private folder. Refuses (UploadRefused) a body that is not multipart, is malformed, passes
 * `maxBytes`, or names a file that is no log; a refused upload leaves no folder behind.
 */
export async function receiveUpload(request: Request, opts: { maxBytes: number; tmpRoot?: string }): Promise<ReceivedUpload> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new UploadRefused(400, `The upload must be multipart form data (a form with the run's files), got Content-Type "${type || "none"}".`);
  }
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({ headers: { "content-type": type }, defParamCharset: "utf8", preservePath: true, limits: { fieldSize: FIELD_LIMIT, fields: 100, fieldNameSize: 100 } });
  } catch (error) {
    throw new UploadRefused(400, `Could not read the upload as multipart form data: ${(error as Error).message}.`);
  }
  if (!request.body) throw new UploadRefused(400, "The upload has no body: choose a run folder or its step files.");

  const dir = await mkdtemp(path.join(opts.tmpRoot ?? tmpdir(), "lim-upload-"));
  const train = path.join(dir, "train");
  await mkdir(train, { mode: 0o700 });
  const upload: ReceivedUpload = { dir, fields: {}, logs: [], dataset: null, bytes: 0 };
  const writes: Promise<unknown>[] = [];
  const names = new Set<string>();
  let refused: UploadRefused | null = null;
  const refuse = (why: UploadRefused) => {
    refused ??= why;
    parser.destroy();
  };
  const malformed = (error: Error) => refuse(new UploadRefused(400, `Could not read the upload as multipart form data: ${error.message}.`));

  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) return refuse(new UploadRefused(400, `The form field "${name}" is longer than ${formatBytes(FIELD_LIMIT)}.`));
    upload.fields[name] = value;
  });
  parser.on("fieldsLimit", () => refuse(new UploadRefused(400, "The upload has more than 100 form fields.")));
  parser.on("file", (field, stream, info) => {
    const uploadedAs = info.filename ?? "";
    const target = field === "logs" || field === "dataset" ? placeFile(field, uploadedAs, upload, names) : null;
    if (target === null || target instanceof UploadRefused) {
      // A part the upload does not use (an empty file input) is read past; a refused one ends the upload.
      stream.on("error", () => {}).resume();
      return target && refuse(target);
    }
    const file: StoredFile = { uploadedAs, path: target, bytes: 0 };
    if (field === "logs") upload.logs.push(file);
    else upload.dataset = file;
    const out = createWriteStream(target, { flags: "wx", mode: 0o600 });
    const write = pipeline(stream, out).then(() => (file.bytes = out.bytesWritten));
    writes.push(write.catch((error: Error) => refuse(new UploadRefused(500, `Could not store ${uploadedAs} in ${path.dirname(dir)}: ${error.message}`))));
  });
  parser.on("error", malformed);
  const parsed = new Promise<void>((resolve) => {
    parser.on("close", resolve);
    parser.on("finish", resolve);
  });

  const reader = request.body.getReader();
  try {
    for (;;) {
      if (refused) break;
      const { done, value } = await reader.read();
      if (refused) break;
      if (done) {
        parser.end();
        break;
      }
      upload.bytes += value.byteLength;
      if (upload.bytes > opts.maxBytes) {
        refuse(new UploadRefused(413, uploadPassedCap(opts.maxBytes)));
        break;
      }
      if (!parser.write(value)) await drained(parser);
    }
    await parsed;
    await Promise.all(writes);
  } catch (error) {
    refuse(new UploadRefused(400, `The upload was interrupted: ${(error as Error).message}`));
  } finally {
    reader.releaseLock();
  }
  if (refused) {
    await Promise.allSettled(writes);
    await removeUpload(upload);
    throw refused;
  }
  if (upload.dataset && upload.dataset.bytes === 0) {
    await rm(upload.dataset.path, { force: true });
    upload.dataset = null;
  }
  return upload;
}

/** Where a file part goes, inside the upload's folder, or why it is refused; null to skip it. */
function placeFile(field: "logs" | "dataset", uploadedAs: string, upload: ReceivedUpload, names: Set<string>): string | UploadRefused | null {
  if (uploadedAs === "") return null;
  if (field === "dataset") {
    if (upload.dataset) return new UploadRefused(400, `Two datasets were uploaded (${upload.dataset.uploadedAs} and ${uploadedAs}); choose one.`);
    if (!isDatasetFile(uploadedAs)) return new UploadRefused(400, `The dataset "${uploadedAs}" must be a ${DATASET_EXTENSIONS.join(", ")} file.`);
    // The dataset's format follows its extension: an unusable name keeps the extension.
    const base = uploadedAs.split(/[\\/]/).pop()!;
    return inside(upload.dir, safeFileName(uploadedAs) ?? `dataset${base.slice(base.lastIndexOf(".")).toLowerCase()}`);
  }
  const format = uploadFormat(upload.fields.format);
  const name = safeFileName(uploadedAs);
  if (!name || !isLogFile(name, format)) {
    return new UploadRefused(400, `"${uploadedAs}" is not a reward log${format === "auto" ? "" : ` of format ${format}`} (step_N.json, N.jsonl, completions_N.parquet, train_data_stepN.jsonl, .jsonl or .csv).`);
  }
  if (names.has(name)) return new UploadRefused(400, `Two uploaded files are named ${name}; upload one run at a time.`);
  names.add(name);
  return inside(path.join(upload.dir, "train"), name);
}

/** The format named so far (the browser sends the fields before the files); the final check repeats this. */
function uploadFormat(given: string | undefined): UploadFormat {
  return (UPLOAD_FORMATS as readonly string[]).includes(given ?? "") ? (given as UploadFormat) : "auto";
}

/** A plain name joined to its folder; anything that would land elsewhere is refused outright. */
function inside(folder: string, name: string): string | UploadRefused {
  const target = path.resolve(folder, name);
  return path.dirname(target) === folder ? target : new UploadRefused(400, `The file name "${name}" is not a plain file name.`);
}

function drained(parser: Busboy.Busboy): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      parser.off("drain", done);
      parser.off("close", done);
      resolve();
    };
    parser.on("drain", done);
    parser.on("close", done);
  });
}

export async function removeUpload(upload: { dir: string }): Promise<void> {
  await rm(upload.dir, { recursive: true, force: true }).catch(() => {});
}
