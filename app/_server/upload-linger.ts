/**
 * The answer to a refused upload, sent so the client reads it. Closing a connection while the
 * client is still sending makes the kernel answer its next bytes with a reset, and a client
 * busy writing (Node's http client, browsers) then drops the connection with the answer unread
 * in its buffer: it sees a broken pipe, not the 413. So, as web servers do ("lingering close"),
 * the answer's status and message go out at once, the server reads the body past and throws it
 * away for a moment, and only then ends the response, whose `Connection: close` closes the
 * connection: long enough for any client to read the message, short enough that the rest of a
 * huge body is never taken. (A route cannot close its connection any other way: cancelling the
 * request body ends the request, not the socket.)
 */

/**
 * How long a refused upload's connection stays open after the answer, and how much of its body
 * is read past meanwhile (more would only feed the server garbage; past it the client waits).
 */
export const LINGER = { ms: 2000, bytes: 32 * 1024 ** 2 };

/** A JSON answer that closes its connection after lingering on `body` (see above). */
export function lingeringAnswer(status: number, json: unknown, headers: Record<string, string>, body: ReadableStream<Uint8Array> | null, limits = LINGER): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(bytes);
      await discardFor(body, limits);
      controller.close();
    },
  });
  return new Response(stream, {
    status,
    headers: { ...headers, "content-type": "application/json", connection: "close" },
  });
}

/**
 * Reads `body` and throws its bytes away for `limits.ms`, at most `limits.bytes` of it, or
 * until it ends. Never throws: the client may be gone already.
 */
export async function discardFor(body: ReadableStream<Uint8Array> | null, limits = LINGER): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<"time">((resolve) => (timer = setTimeout(() => resolve("time"), limits.ms)));
  try {
    let read = 0;
    for (;;) {
      const next = await Promise.race([read < limits.bytes ? reader.read() : new Promise<never>(() => {}), timeUp]);
      if (next === "time" || next.done) break;
      read += next.value.byteLength;
    }
  } catch {
    // The client closed first.
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
