import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { IngestError } from "../errors";
import { JsonRowSplitter } from "../scan/split-json-rows";
import { firstInvalidUtf8, wideEncoding } from "../scan/text-rules";
import { tempDir } from "../test-helpers";
import { readLineBytes, Utf8Guard } from "./input-text";

const tmp = tempDir("lim-input-text-");
after(() => tmp.cleanup());

describe("the text rules' byte checks", () => {
  test("firstInvalidUtf8 agrees with isUtf8 and points at the first bad sequence", () => {
    const cases: [number[], number][] = [
      [[0x61, 0xc3, 0xa9, 0x62], -1], // é
      [[0xf0, 0x9f, 0x98, 0x80], -1], // U+1F600
      [[0x61, 0xc3, 0x28], 1], // lead byte without its continuation
      [[0x61, 0x80], 1], // a stray continuation byte
      [[0xc0, 0xaf], 0], // overlong "/"
      [[0xe0, 0x80, 0xaf], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // a surrogate, U+D800
      [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
      [[0x61, 0x62, 0xe2, 0x82], 2], // cut short by the end
      [[0xff], 0],
    ];
    for (const [bytes, at] of cases) {
      const b = Buffer.from(bytes);
      assert.equal(firstInvalidUtf8(b), at, bytes.map((x) => x.toString(16)).join(" "));
      assert.equal(isUtf8(b), at < 0);
    }
  });

  test("UTF-16 and UTF-32 are told by their byte order marks or their zero bytes; UTF-8 is not", () => {
    const name = (b: number[] | Buffer) => wideEncoding(Buffer.from(b as number[]))?.name ?? null;
    assert.equal(name([0xff, 0xfe, 0x5b, 0x00]), "UTF-16");
    assert.equal(name([0xfe, 0xff, 0x00, 0x5b]), "UTF-16");
    assert.equal(name([0xff, 0xfe, 0x00, 0x00]), "UTF-32");
    assert.equal(name([0x00, 0x00, 0xfe, 0xff]), "UTF-32");
    assert.equal(name(Buffer.from("[{", "utf16le")), "UTF-16");
    assert.equal(name([0x00, 0x7b, 0x00, 0x22]), "UTF-16");
    assert.equal(name([0xef, 0xbb, 0xbf, 0x5b]), null);
    assert.equal(name(Buffer.from('[{"a"')), null);
    assert.equal(name([]), null);
  });
});

describe("readLineBytes", () => {
  const lines = async (text: string | Buffer, limit?: number) => {
    const file = path.join(tmp.dir, `lines-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(file, text);
    const out: { text: string; lineNo: number; offset: number; size: number }[] = [];
    for await (const l of readLineBytes(file, limit)) out.push({ text: l.bytes.toString("utf8"), lineNo: l.lineNo, offset: l.offset, size: l.size });
    return out;
  };

  test("splits on LF, drops a CR before it, skips a byte order mark, keeps a last line without LF", async () => {
    assert.deepEqual(await lines(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a\r\nbc\n\nd")])), [
      { text: "a", lineNo: 1, offset: 0, size: 6 },
      { text: "bc", lineNo: 2, offset: 6, size: 3 },
      { text: "", lineNo: 3, offset: 9, size: 1 },
      { text: "d", lineNo: 4, offset: 10, size: 1 },
    ]);
  });

  test("lines across the 1 MB read size come out whole", async () => {
    const long = "y".repeat(3 << 20);
    const got = await lines(`a\n${long}\nb\n`);
    assert.deepEqual(
      got.map((l) => l.text.length),
      [1, long.length, 1],
    );
  });

  test("a line longer than one string can hold is refused by its line and size, not V8's message", async () => {
    await assert.rejects(lines(`ok\n${"z".repeat(5000)}\n`, 4096), (e: Error) => {
      assert.ok(e instanceof IngestError);
      assert.match(e.message, /:2: line 2 is over 0 MB \(a line must fit in one string\)/);
      return true;
    });
  });

  test("UTF-16 is refused", async () => {
    await assert.rejects(lines(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}\n", "utf16le")])), /the file is UTF-16; save it as UTF-8/);
  });
});

describe("Utf8Guard", () => {
  const through = async (chunks: Buffer[]) => {
    const out: Buffer[] = [];
    for await (const c of Readable.from(chunks).pipe(new Utf8Guard("f.csv"))) out.push(c as Buffer);
    return Buffer.concat(out);
  };

  test("passes valid UTF-8 through unchanged, a character cut between chunks included", async () => {
    const text = Buffer.from("a,é\n∫,😀\n");
    for (let cut = 1; cut < text.length; cut++) assert.deepEqual(await through([text.subarray(0, cut), text.subarray(cut)]), text, `cut at ${cut}`);
  });

  test("refuses the first invalid byte by line and byte offset, across chunks", async () => {
    const text = Buffer.concat([Buffer.from("h,i\nok,1\n"), Buffer.from("x,"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]);
    await assert.rejects(through([text.subarray(0, 5), text.subarray(5)]), /f\.csv:3: byte 11 is not valid UTF-8 \(bytes C3 28/);
  });
});

describe("JsonRowSplitter", () => {
  test("an element longer than one string can hold is refused by element and size", () => {
    const rows: string[] = [];
    const s = new JsonRowSplitter("step_1.json", (r) => rows.push(r.text), { arrayOnly: true, unit: "element", limit: 1000 });
    assert.throws(() => s.push(Buffer.from(`[{"a": 1}, {"b": "${"x".repeat(2000)}"}]`)), /step_1\.json: element 1 \(line 1, byte 11\) is over 0 MB, more than one string can hold/);
    assert.deepEqual(rows, ['{"a":1}']);
  });

  test("a step file must be an array", () => {
    const s = new JsonRowSplitter("step_1.json", () => {}, { arrayOnly: true });
    assert.throws(() => s.push(Buffer.from(`{"a": 1}\n`)), /expected a JSON array of rollouts/);
  });
});
