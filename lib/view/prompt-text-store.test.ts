import assert from "node:assert/strict";
import { test } from "node:test";
import { PromptTextStore } from "./prompt-text-store";

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

function fakeServer(fail = 0) {
  const requests: number[][] = [];
  let failing = fail;
  const fetchTexts = async (ordinals: number[]) => {
    requests.push(ordinals);
    if (failing-- > 0) throw new Error("offline");
    return ordinals.map((o) => `text ${o}`);
  };
  return { requests, fetchTexts };
}

test("wants from the table and the panel share one request; nothing is asked twice", async () => {
  const server = fakeServer();
  const store = new PromptTextStore(server.fetchTexts, { delayMs: 1 });
  let heard = 0;
  store.subscribe(() => heard++);
  store.want("table", [0, 1, 2, 3]);
  store.want("panel", [2, 9]);
  store.want("table", [1, 2, 3, 4]); // scrolled on before the request went out
  await tick();
  assert.deepEqual(server.requests, [[1, 2, 3, 4, 9]]);
  assert.equal(store.get(9), "text 9");
  assert.equal(store.get(0), undefined);
  assert.equal(heard, 1);
  store.want("table", [1, 2, 3, 4]);
  await tick();
  assert.equal(server.requests.length, 1);
});

test("a want while the same texts are in flight does not ask again", async () => {
  const server = fakeServer();
  const store = new PromptTextStore(server.fetchTexts, { delayMs: 1 });
  store.want("table", [5, 6]);
  await tick(2);
  store.want("table", [5, 6, 7]);
  await tick();
  assert.deepEqual(server.requests.flat().sort(), [5, 6, 7]);
});

test("the cache is bounded and keeps what is on screen", async () => {
  const server = fakeServer();
  const store = new PromptTextStore(server.fetchTexts, { delayMs: 1, capacity: 10, batch: 4 });
  for (let start = 0; start < 100; start += 5) {
    store.want("table", [start, start + 1, start + 2, start + 3, start + 4]);
    await tick();
  }
  assert.ok(store.size <= 10, `${store.size} texts kept`);
  for (let o = 95; o < 100; o++) assert.equal(store.get(o), `text ${o}`);
  assert.ok(server.requests.every((r) => r.length <= 4));
});

test("a failed request is asked again while the rows are still wanted", async () => {
  const server = fakeServer(1);
  const store = new PromptTextStore(server.fetchTexts, { delayMs: 1, retryMs: 5 });
  store.want("table", [1]);
  await tick(30);
  assert.equal(store.get(1), "text 1");
  assert.equal(server.requests.length, 2);
});
