import assert from "node:assert/strict";
import { test } from "node:test";
import { ingestQueue, IngestQueue } from "./upload-queue";

const tick = () => new Promise((r) => setImmediate(r));

/** An upload through the queue: its reported places, whether it runs, and its release. */
function upload(queue: IngestQueue, signal = new AbortController().signal) {
  const ticket = queue.admit();
  assert.ok(ticket, "admitted");
  const u = { ahead: [] as number[], running: false, release: null as null | (() => void), left: null as unknown };
  const turn = ticket.turn(signal, (n) => u.ahead.push(n));
  turn.then(
    (release) => {
      u.running = true;
      u.release = () => {
        u.running = false;
        release();
      };
    },
    (why) => (u.left = why),
  );
  return u;
}

test("one ingest at a time, the others in the order they came, each told its place as it moves", async () => {
  const q = new IngestQueue(16);
  const a = upload(q);
  const b = upload(q);
  const c = upload(q);
  await tick();
  assert.deepEqual([a.running, b.running, c.running], [true, false, false]);
  assert.deepEqual(a.ahead, [], "the first never hears of a queue");
  assert.deepEqual(b.ahead, [1]);
  assert.deepEqual(c.ahead, [2]);
  a.release!();
  await tick();
  assert.deepEqual([b.running, c.running], [true, false]);
  assert.deepEqual(c.ahead, [2, 1]);
  a.release!(); // a second release of the same turn frees nothing
  await tick();
  assert.equal(c.running, false);
  assert.deepEqual(q.counts, { running: 1, held: 1, waiting: 1 });
  b.release!();
  await tick();
  assert.equal(c.running, true);
  c.release!();
  assert.deepEqual(q.counts, { running: 0, held: 0, waiting: 0 });
});

test("an upload whose browser leaves while queued leaves the queue, and those behind move up", async () => {
  const q = new IngestQueue(16);
  const a = upload(q);
  const gone = new AbortController();
  const b = upload(q, gone.signal);
  const c = upload(q);
  await tick();
  gone.abort(new Error("the browser went away"));
  await tick();
  assert.match(String(b.left), /went away/);
  assert.deepEqual(c.ahead, [2, 1]);
  a.release!();
  await tick();
  assert.equal(b.running, false);
  assert.equal(c.running, true);
  c.release!();
  assert.deepEqual(q.counts, { running: 0, held: 0, waiting: 0 });
});

test("the queue is bounded: uploads sending or waiting hold a place, running ones do not", async () => {
  const q = new IngestQueue(3);
  const running = upload(q);
  await tick();
  assert.equal(running.running, true);
  const waiting = [upload(q), upload(q)];
  const sending = q.admit(); // still receiving its files
  assert.ok(sending);
  assert.equal(q.admit(), null, "three hold places: the fourth is refused");
  sending.leave(); // its upload was refused (too big, say)
  sending.leave();
  const next = q.admit();
  assert.ok(next, "a place was freed, once");
  assert.equal(q.admit(), null);
  running.release!();
  await tick();
  assert.equal(waiting[0].running, true);
  assert.ok(q.admit(), "the one that started gave up its place");
});

test("a ticket whose browser left before its turn was asked for leaves at once", async () => {
  const q = new IngestQueue(2);
  const gone = new AbortController();
  gone.abort(new Error("gone"));
  await assert.rejects(q.admit()!.turn(gone.signal, () => {}), /gone/);
  assert.deepEqual(q.counts, { running: 0, held: 0, waiting: 0 });
});

test("one queue per process, shared by every bundle that imports it", () => {
  assert.equal(ingestQueue(), ingestQueue());
  assert.equal(ingestQueue().concurrency, 1);
  assert.equal(ingestQueue().maxWaiting, 16);
});
