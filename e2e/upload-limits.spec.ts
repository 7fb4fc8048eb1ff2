import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openAsBlob, readdirSync, readFileSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readEvents, type UploadEvent } from "../lib/view/upload-events";
import { expect, lim, test } from "./fixtures";

/**
 * The upload's limits through the built server: a second `next start` of the same build and
 * database, with a 512 MB cap, a token and its own temporary folder (so the test sees every
 * upload folder the server makes), and its pid (so the test reads its memory).
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const TOKEN = "upload-limits-test-token-0123456789";
const CAP_MB = 512;
const auth = { authorization: `Bearer ${TOKEN}` };

let server: ChildProcess;
let port: number;
let serverTmp: string;
let output = "";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
const uploadFolders = () => readdirSync(serverTmp).filter((f) => f.startsWith("lim-upload-"));

interface Sent {
  status: number;
  body: string;
  /** Bytes the client had handed to the connection when the answer came. */
  sentAtAnswer: number;
  /** Whether the server closed the connection before the client could send it all. */
  cutOff: boolean;
}

/**
 * Posts a multipart body of one log file of `megabytes`, as fast as the connection takes it:
 * chunked (no Content-Length), or declaring a length. Keeps sending after the answer, as a
 * client that does not read it would, until the server closes the connection.
 */
function postBig(megabytes: number, opts: { chunked: boolean; headers?: Record<string, string>; port?: number }): Promise<Sent> {
  const boundary = `----limLimits${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nbig-${Date.now()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="logs"; filename="step_1.json"\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1 << 20, "[");
  const headers: Record<string, string | number> = { "content-type": `multipart/form-data; boundary=${boundary}`, ...opts.headers };
  if (!opts.chunked) headers["content-length"] = head.length + megabytes * chunk.length + tail.length;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answer: Omit<Sent, "cutOff"> | null = null;
    let cutOff = false;
    const finish = () => (answer ? resolve({ ...answer, cutOff }) : reject(new Error(`no answer after ${sent} bytes`)));
    // The answer's body is kept as it arrives: a refusal's answer ends only when the server
    // closes the connection, and a client still writing may see that reset before the last chunk.
    const req = httpRequest({ host: "127.0.0.1", port: opts.port ?? port, method: "POST", path: "/api/runs", headers }, (res) => {
      const got = { status: res.statusCode ?? 0, body: "", sentAtAnswer: sent };
      answer = got;
      res.on("data", (d) => (got.body += d));
      res.on("error", () => {});
    });
    req.on("error", () => {
      cutOff = true;
      setTimeout(finish, 100);
    });
    req.on("close", () => setTimeout(finish, 100));
    (async () => {
      req.write(head);
      for (let i = 0; i < megabytes && !req.destroyed; i++) {
        sent += chunk.length;
        if (!req.write(chunk)) await writable(req);
      }
      if (!req.destroyed) req.end(tail);
    })();
  });
}

/** Until the connection takes more, or closes. */
function writable(req: ReturnType<typeof httpRequest>): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      req.off("drain", go);
      req.off("close", go);
      resolve();
    };
    req.on("drain", go);
    req.on("close", go);
  });
}

/** A generated run's step files and dataset. */
function generatedRun(prompts: number, perStep: number): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-limits-"));
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "lib/demo/generate-run.ts", "--out", dir, "--prompts", String(prompts), "--epochs", "3", "--steps-per-epoch", "2", "--prompts-per-step", String(perStep), "--seed", "5"],
    { cwd: root, stdio: "pipe" },
  );
  const train = path.join(dir, "train");
  return readdirSync(train).map((f) => path.join(train, f));
}

/** An upload through fetch; resolves once the answer's headers are in, with its events as they come. */
async function upload(name: string, files: string[], signal?: AbortSignal) {
  const form = new FormData();
  form.set("name", name);
  form.set("stepsPerEpoch", "2");
  for (const f of files) form.append("logs", await openAsBlob(f), path.basename(f));
  const res = await fetch(`http://127.0.0.1:${port}/api/runs`, { method: "POST", body: form, headers: auth, signal });
  const events: UploadEvent[] = [];
  const ended = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return events;
      const read = readEvents(rest + decoder.decode(value, { stream: true }));
      rest = read.rest;
      events.push(...read.events);
    }
  })().catch(() => events); // an upload its test abandons ends early
  return { res, events, ended };
}

test.describe("upload limits", () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    port = await freePort();
    serverTmp = mkdtempSync(path.join(tmpdir(), "lim-e2e-server-tmp-"));
    server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, LIM_TOKEN: TOKEN, LIM_UPLOAD_MAX_MB: String(CAP_MB), TMPDIR: serverTmp, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));
    const t0 = Date.now();
    for (;;) {
      if (Date.now() - t0 > 100_000 || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      const up = await fetch(`http://127.0.0.1:${port}/api/runs/demo/version`, { headers: auth }).catch(() => null);
      if (up?.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  test.afterAll(() => {
    server?.kill("SIGTERM");
  });

  test("a chunked upload past the cap is refused with 413 as it passes, the connection closed, and the server's memory does not grow with the body", async () => {
    test.setTimeout(120_000);
    const before = rssBytes(server.pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server.pid!))), 25);
    const sent = await postBig(2200, { chunked: true, headers: auth }).finally(() => clearInterval(sampler));
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body).error).toBe(`This upload passed ${CAP_MB} MB, the most the browser takes; nothing of it was kept. Use \`npx lim ingest <folder> --name <run>\` for big runs.`);
    // Answered as the body passed the cap, not after 2.2 GB; then the server stopped reading.
    expect(sent.sentAtAnswer).toBeLessThan((CAP_MB + 128) * 2 ** 20);
    expect(sent.cutOff).toBe(true);
    // A server that held the body would have grown by the cap at least (512 MB) before refusing it.
    console.log(`server RSS ${(before / 2 ** 20).toFixed(0)} MB before, peak ${(peak / 2 ** 20).toFixed(0)} MB during a 2.2 GB chunked upload (sent ${(sent.sentAtAnswer / 2 ** 20).toFixed(0)} MB at the answer)`);
    expect(peak - before).toBeLessThan(200 * 2 ** 20);
    expect(uploadFolders()).toEqual([]);
  });

  test("a declared length past the cap is refused before the body is read; no token, no upload", async () => {
    const declared = await postBig(600, { chunked: false, headers: auth });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toContain(`This upload is 600.0 MB; the browser takes runs up to ${CAP_MB} MB.`);
    expect(declared.sentAtAnswer).toBeLessThan(64 * 2 ** 20);
    // proxy.ts does not see this route (it would hold the body): the route asks for the token itself.
    const anonymous = await postBig(100, { chunked: true });
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body).error).toContain("needs a token");
    expect(anonymous.sentAtAnswer).toBeLessThan(64 * 2 ** 20);
    const foreign = await postBig(1, { chunked: true, headers: { ...auth, origin: "https://attacker.example" } });
    expect(foreign.status).toBe(403);
    expect(uploadFolders()).toEqual([]);
  });

  test("uploads wait their turn, told how many are ahead; one whose browser leaves while queued is dropped with its files", async ({ page }) => {
    test.setTimeout(120_000);
    // A few seconds of ingest, so the others queue behind it; and past the 10 MB that Next keeps
    // of a body that passes through a proxy, so it also shows the route sees the whole body.
    const first = generatedRun(6000, 2000);
    expect(first.reduce((a, f) => a + statSync(f).size, 0)).toBeGreaterThan(20 * 2 ** 20);
    const small = generatedRun(60, 30);
    const stamp = Date.now();
    const [firstName, leavingName, browserName] = [`queue-first-${stamp}`, `queue-leaves-${stamp}`, `queue-browser-${stamp}`];

    await page.setExtraHTTPHeaders(auth);
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByLabel("Step files").setInputFiles(small);
    await page.getByRole("textbox", { name: "Run name" }).fill(browserName);
    await page.getByRole("spinbutton", { name: "Steps per epoch" }).fill("2");

    const a = await upload(firstName, first);
    expect(a.res.status).toBe(200);
    const leaving = new AbortController();
    const b = await upload(leavingName, small, leaving.signal);
    await expect.poll(() => b.events.find((e) => e.type === "queued")).toEqual({ type: "queued", ahead: 1 });
    await page.getByRole("button", { name: "Ingest run" }).click();
    await expect(page.getByTestId("upload-queued")).toContainText("Queued: 2 ingests ahead of you");
    leaving.abort();
    await expect(page.getByTestId("upload-queued")).toContainText("Queued: 1 ingest ahead of you");

    const firstEvents = await a.ended;
    expect(firstEvents.at(-1)).toMatchObject({ type: "done", run: firstName });
    expect(firstEvents.some((e) => e.type === "queued")).toBe(false);
    await expect(page).toHaveURL(new RegExp(`/runs/${browserName}$`), { timeout: 60_000 });

    const runs = (JSON.parse(lim(["runs", "--json"]).toString("utf8")) as { name: string }[]).map((r) => r.name);
    expect(runs).toContain(firstName);
    expect(runs).toContain(browserName);
    expect(runs).not.toContain(leavingName);
    await expect.poll(uploadFolders).toEqual([]);
    lim(["delete", firstName]);
    lim(["delete", browserName]);
  });
});

test.describe("the default cap", () => {
  test("is 2 GB: a bigger run is refused in the page before a byte is sent, and by the server when declared", async ({ page, baseURL }) => {
    const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-huge-"));
    const huge = path.join(dir, "step_1.json");
    execFileSync("truncate", ["-s", "2100M", huge]); // sparse: nothing is written
    let posted = false;
    page.on("request", (r) => (posted ||= r.method() === "POST" && r.url().endsWith("/api/runs")));
    await page.goto("/");
    await page.getByLabel("Step files").setInputFiles([huge]);
    await page.getByRole("textbox", { name: "Run name" }).fill(`huge-${Date.now()}`);
    await page.getByRole("button", { name: "Ingest run" }).click();
    await expect(page.getByTestId("upload-error")).toHaveText("This upload is 2.05 GB; the browser takes runs up to 2 GB. Use `npx lim ingest <folder> --name <run>` for big runs.");
    expect(posted).toBe(false);

    // The e2e server, started without LIM_UPLOAD_MAX_MB.
    const declared = await postBig(2100, { chunked: false, port: Number(new URL(baseURL!).port) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toContain("the browser takes runs up to 2 GB.");
    expect(declared.sentAtAnswer).toBeLessThan(64 * 2 ** 20);
  });
});
