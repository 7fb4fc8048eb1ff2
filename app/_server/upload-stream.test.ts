import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { datasetRows, writeParquetDataset } from "../../lib/demo/generate-datasets";
import { DEFAULT_UPLOAD_MAX_MB, receiveUpload, removeUpload, uploadMaxBytes, UploadRefused } from "./upload-stream";

type Part = { field: string; value: string } | { field: string; filename: string; bytes: Uint8Array };
const BOUNDARY = "----limTestBoundary7MA4YWxkTrZu0gW";

/** A multipart body as a browser writes it. */
function multipart(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ("value" in p) chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.field}"\r\n\r\n${p.value}\r\n`));
    else {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      chunks.push(Buffer.from(p.bytes), Buffer.from("\r\n"));
    }
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** A real Request whose body arrives in pieces of the given sizes (cycled), as a chunked upload does. */
function chunkedRequest(body: Buffer, pieces: number[], pulled = { bytes: 0 }): Request {
  let at = 0;
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.length) return controller.close();
      const n = pieces[i++ % pieces.length];
      const piece = body.subarray(at, at + n);
      at += piece.length;
      pulled.bytes += piece.length;
      controller.enqueue(new Uint8Array(piece));
    },
  });
  return new Request("http://127.0.0.1/api/runs", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: stream,
    duplex: "half",
  } as RequestInit);
}

const freshRoot = () => mkdtempSync(path.join(tmpdir(), "lim-upload-test-"));

function parquetBytes(): Buffer {
  const file = path.join(freshRoot(), "train.parquet");
  writeParquetDataset(file, datasetRows({ questions: ["What is 1+1?", "Name a prime.", "Solve x^2=4."], answers: ["2", "7", "2"] }));
  return readFileSync(file);
}

async function refusal(promise: Promise<unknown>): Promise<UploadRefused> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UploadRefused, String(error));
    return error;
  }
  assert.fail("the upload was accepted");
}

test("fields and files land byte for byte, logs in train/ and a binary Parquet dataset beside them, whatever splits the boundaries", async () => {
  const parquet = parquetBytes();
  // Bytes that look like the boundary's start, CRLFs and NULs must pass through untouched.
  const tricky = Buffer.concat([Buffer.from(`\r\n--${BOUNDARY.slice(0, 20)}\r\n\r\n--`), randomBytes(70_000), Buffer.from("\r\n-")]);
  const logs = [Buffer.from('[{"prompt":"p","response":"r","reward":1}]'), tricky, randomBytes(1)];
  const body = multipart([
    { field: "name", value: "math-run" },
    { field: "stepsPerEpoch", value: "2" },
    ...logs.map((bytes, i) => ({ field: "logs", filename: `step_${i + 1}.json`, bytes })),
    { field: "dataset", filename: "train.parquet", bytes: parquet },
  ]);
  for (const pieces of [[1], [7, 3, 64], [4093], [body.length]]) {
    const root = freshRoot();
    const upload = await receiveUpload(chunkedRequest(body, pieces), { maxBytes: 1 << 30, tmpRoot: root });
    assert.deepEqual(upload.fields, { name: "math-run", stepsPerEpoch: "2" });
    assert.equal(upload.bytes, body.length);
    assert.deepEqual(upload.logs.map((f) => path.relative(upload.dir, f.path)), ["train/step_1.json", "train/step_2.json", "train/step_3.json"]);
    upload.logs.forEach((f, i) => {
      assert.ok(readFileSync(f.path).equals(logs[i]), `step_${i + 1}.json in pieces of ${pieces}`);
      assert.equal(f.bytes, logs[i].length);
    });
    assert.equal(upload.dataset!.path, path.join(upload.dir, "train.parquet"));
    assert.ok(readFileSync(upload.dataset!.path).equals(parquet), `the Parquet dataset in pieces of ${pieces}`);
    assert.equal(statSync(upload.dir).mode & 0o777, 0o700, "the folder is private");
    await removeUpload(upload);
    assert.deepEqual(readdirSync(root), []);
  }
});

test("the cap trips on the bytes as they arrive: reading stops, 413 in words, no file left", async () => {
  const root = freshRoot();
  const maxBytes = 256 * 1024;
  const body = multipart([
    { field: "name", value: "big" },
    { field: "logs", filename: "step_1.json", bytes: randomBytes(100_000) },
    { field: "logs", filename: "step_2.json", bytes: randomBytes(4 * 1024 * 1024) },
  ]);
  const pulled = { bytes: 0 };
  const refused = await refusal(receiveUpload(chunkedRequest(body, [16 * 1024], pulled), { maxBytes, tmpRoot: root }));
  assert.equal(refused.status, 413);
  assert.match(refused.message, /passed 256 kB, the most the browser takes/);
  assert.match(refused.message, /npx lim ingest/);
  assert.ok(pulled.bytes <= maxBytes + 16 * 1024 * 2, `read ${pulled.bytes} bytes of a ${body.length}-byte body`);
  assert.deepEqual(readdirSync(root), [], "the upload's folder is gone");
});

test("file names with path segments stay inside the upload's folder", async () => {
  const root = freshRoot();
  const body = multipart([
    { field: "name", value: "r" },
    { field: "logs", filename: "../../../../tmp/evil/step_1.json", bytes: Buffer.from("a") },
    { field: "logs", filename: "run\\train\\step_2.json", bytes: Buffer.from("b") },
    { field: "dataset", filename: "../../ünïcode data.JSONL", bytes: Buffer.from("{}\n") },
  ]);
  const upload = await receiveUpload(chunkedRequest(body, [5]), { maxBytes: 1 << 20, tmpRoot: root });
  assert.deepEqual(upload.logs.map((f) => path.relative(upload.dir, f.path)), ["train/step_1.json", "train/step_2.json"]);
  // An unusable name keeps its extension, which decides the dataset's format.
  assert.equal(path.relative(upload.dir, upload.dataset!.path), "dataset.jsonl");
  assert.deepEqual(readdirSync(root), [path.basename(upload.dir)], "nothing was written beside the folder");
  await removeUpload(upload);

  for (const filename of ["..", "../..", "/", "notes.txt"]) {
    const bad = multipart([{ field: "logs", filename, bytes: Buffer.from("x") }]);
    const refused = await refusal(receiveUpload(chunkedRequest(bad, [3]), { maxBytes: 1 << 20, tmpRoot: root }));
    assert.equal(refused.status, 400);
    assert.match(refused.message, /is not a reward log/, filename);
  }
  assert.deepEqual(readdirSync(root), []);
});

test("a malformed or foreign body is a 400 in words and leaves no folder", async () => {
  const root = freshRoot();
  const whole = multipart([{ field: "name", value: "r" }, { field: "logs", filename: "step_1.json", bytes: Buffer.from("[]") }]);
  const cases: [string, Request][] = [
    ["cut short", chunkedRequest(whole.subarray(0, whole.length - 30), [9])],
    ["no parts at all", chunkedRequest(Buffer.from("just some text"), [4])],
    ["a broken part header", chunkedRequest(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition form-data\r\n${"x".repeat(100)}`), [4])],
    ["two logs of one name", chunkedRequest(multipart([{ field: "logs", filename: "step_1.json", bytes: Buffer.from("a") }, { field: "logs", filename: "a/step_1.json", bytes: Buffer.from("b") }]), [11])],
  ];
  for (const [what, request] of cases) {
    const refused = await refusal(receiveUpload(request, { maxBytes: 1 << 20, tmpRoot: root }));
    assert.equal(refused.status, 400, what);
    assert.ok(refused.message.length > 20, `${what}: ${refused.message}`);
    assert.deepEqual(readdirSync(root), [], what);
  }
  const json = new Request("http://127.0.0.1/api/runs", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const refused = await refusal(receiveUpload(json, { maxBytes: 1 << 20, tmpRoot: root }));
  assert.match(refused.message, /must be multipart form data.*application\/json/);
  assert.deepEqual(readdirSync(root), []);
});

test("a body cut off by its client (the browser closed the page) leaves no folder", async () => {
  const root = freshRoot();
  const body = multipart([{ field: "name", value: "r" }, { field: "logs", filename: "step_1.json", bytes: randomBytes(200_000) }]);
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at > 100_000) return controller.error(new Error("the connection was reset"));
      controller.enqueue(new Uint8Array(body.subarray(at, (at += 8192))));
    },
  });
  const request = new Request("http://127.0.0.1/api/runs", { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, body: stream, duplex: "half" } as RequestInit);
  const refused = await refusal(receiveUpload(request, { maxBytes: 1 << 30, tmpRoot: root }));
  assert.match(refused.message, /interrupted: the connection was reset/);
  assert.deepEqual(readdirSync(root), []);
});

test("the cap is 2 GB unless LIM_UPLOAD_MAX_MB says otherwise", () => {
  assert.equal(DEFAULT_UPLOAD_MAX_MB, 2048);
  assert.equal(uploadMaxBytes({}), 2 * 1024 ** 3);
  assert.equal(uploadMaxBytes({ LIM_UPLOAD_MAX_MB: "64" }), 64 * 1024 ** 2);
  assert.throws(() => uploadMaxBytes({ LIM_UPLOAD_MAX_MB: "lots" }), /LIM_UPLOAD_MAX_MB must be a positive number of megabytes, got "lots"/);
});
