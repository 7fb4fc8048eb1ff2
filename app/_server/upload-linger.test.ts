import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { test } from "node:test";
import { discardFor, lingeringAnswer } from "./upload-linger";

/**
 * A real server and client on loopback. The server answers 413 at once with the route's
 * lingering answer, served as Next serves a route's Response (its status and headers, then its
 * body piped into the Node response; the request body handed to the route as a Request over
 * the Node stream); the client writes a body that never ends, as fast as the connection takes
 * it or at a trickle, and keeps writing after the answer, as a browser does.
 */
async function refuseEndlessUpload(limits: { ms: number; bytes: number }, trickle: boolean) {
  const server = createServer((req, res) => {
    const request = new Request("http://127.0.0.1/upload", { method: "POST", body: req as unknown as ReadableStream, duplex: "half" } as RequestInit);
    const answer = lingeringAnswer(413, { error: "too big" }, {}, request.body, limits);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.flushHeaders();
    void (async () => {
      for await (const piece of answer.body!) res.write(piece);
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // A raw socket, so nothing in an HTTP client stops the writing when the answer comes.
  const chunk = Buffer.alloc(trickle ? 1024 : 1 << 20, "[");
  const piece = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
  const t0 = Date.now();
  try {
    return await new Promise<{ answer: string; sentAfterAnswer: number; closedAfterMs: number }>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let sent = 0;
      let atAnswer = -1;
      let answer = "";
      socket.on("data", (d) => {
        if (atAnswer < 0) atAnswer = sent;
        answer += d;
      });
      socket.on("error", () => {});
      socket.on("close", () => resolve({ answer, sentAfterAnswer: sent - atAnswer, closedAfterMs: Date.now() - t0 }));
      socket.write("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
      (async () => {
        while (!socket.destroyed && socket.writable) {
          if (Date.now() - t0 > 20_000) return reject(new Error("the server never closed the connection"));
          sent += chunk.length;
          if (!socket.write(piece)) await new Promise((r) => (socket.once("drain", r), socket.once("close", r)));
          if (trickle) await new Promise((r) => setTimeout(r, 20));
        }
      })();
    });
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

/** The 413 with its whole body in chunks, the connection to close after it. */
function assertWholeRefusal(answer: string) {
  const at = answer.indexOf("\r\n\r\n");
  const head = answer.slice(0, at);
  assert.match(head, /^HTTP\/1\.1 413 /);
  assert.match(head, /\r\nconnection: close\r\n/i);
  assert.match(head, /\r\ntransfer-encoding: chunked(\r\n|$)/i);
  let body = "";
  for (let rest = answer.slice(at + 4); ; ) {
    const size = parseInt(rest.slice(0, rest.indexOf("\r\n")), 16);
    if (size === 0) break;
    const start = rest.indexOf("\r\n") + 2;
    body += rest.slice(start, start + size);
    rest = rest.slice(start + size + 2);
  }
  assert.deepEqual(JSON.parse(body), { error: "too big" });
}

test("a client writing a refused body as fast as it can reads the whole refusal, sends at most the budget more, and is closed once the time is up", async () => {
  for (let i = 0; i < 3; i++) {
    const r = await refuseEndlessUpload({ ms: 300, bytes: 64 * 2 ** 20 }, false);
    assertWholeRefusal(r.answer);
    // The budget, plus what the two sockets' buffers hold.
    assert.ok(r.sentAfterAnswer < 128 * 2 ** 20, `sent ${r.sentAfterAnswer} bytes after the answer`);
    assert.ok(r.closedAfterMs >= 300 && r.closedAfterMs < 10_000, `closed after ${r.closedAfterMs} ms`);
  }
});

test("a slow client reads the refusal, and the connection closes once the time is up", async () => {
  const r = await refuseEndlessUpload({ ms: 500, bytes: 64 * 2 ** 20 }, true);
  assertWholeRefusal(r.answer);
  assert.ok(r.closedAfterMs >= 500 && r.closedAfterMs < 5_000, `closed after ${r.closedAfterMs} ms`);
});

test("a body that ends, or is already taken, ends the lingering at once", async () => {
  const t0 = Date.now();
  const ended = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(3)), c.close()) });
  await discardFor(ended, { ms: 10_000, bytes: 1 << 20 });
  const taken = new ReadableStream<Uint8Array>();
  taken.getReader();
  await discardFor(taken, { ms: 10_000, bytes: 1 << 20 });
  await discardFor(null);
  assert.ok(Date.now() - t0 < 5_000);
});
