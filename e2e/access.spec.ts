import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_RUN, expect, lim, test } from "./fixtures";

const root = fileURLToPath(new URL("..", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A GET with a chosen Host header (a browser on a rebinding page sends its own name). */
function getWithHost(port: number, host: string, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: pathname, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("bound to loopback without a token: a request addressed to another name is refused (DNS rebinding)", async ({ baseURL }) => {
  const port = Number(new URL(baseURL!).port);
  expect((await getWithHost(port, `127.0.0.1:${port}`, `/api/runs/${DEMO_RUN}/version`)).status).toBe(200);
  const rebound = await getWithHost(port, `attacker.example:${port}`, `/api/runs/${DEMO_RUN}/version`);
  expect(rebound.status).toBe(403);
  expect(JSON.parse(rebound.body).error).toContain("serves this machine only");
});

test("an address that is not valid percent-encoding is a 400 in words, never a 500", async ({ request }) => {
  for (const url of ["/runs/%E0%A4%A", "/api/runs/%E0%A4%A/view", "/sets/%E0%A4%A", "/runs/demo/prompts/%FF"]) {
    const res = await request.get(url);
    expect(res.status(), url).toBe(400);
    expect((await res.json()).error).toContain("not valid percent-encoding");
  }
});

test("a run, prompt or set that does not exist is a 404, not a page saying so with 200", async ({ request }) => {
  for (const url of ["/runs/no-such-run", "/runs/demo/prompts/99999999", "/runs/demo/prompts/-1", "/runs/demo/prompts/1e3", "/runs/no-such-run/prompts/1", "/sets/no-such-set"]) {
    expect((await request.get(url)).status(), url).toBe(404);
  }
  expect((await request.get("/runs/demo/prompts/1")).status()).toBe(200);
});

test("pages carry a nonce policy and cannot be framed; a foreign page cannot delete or replace a run", async ({ page, request }) => {
  const res = await page.goto(`/runs/${DEMO_RUN}`);
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  await expect(page.getByTestId("selected-count")).toContainText(" of "); // the page runs under it
  const before = lim(["export", DEMO_RUN]).toString("utf8");
  const del = await request.delete(`/api/runs/${DEMO_RUN}`, { headers: { origin: "https://attacker.example" } });
  expect(del.status()).toBe(403);
  const upload = await request.post("/api/runs", { headers: { origin: "https://attacker.example" }, multipart: { name: DEMO_RUN, replace: "on" } });
  expect(upload.status()).toBe(403);
  expect(lim(["export", DEMO_RUN]).toString("utf8")).toBe(before);
});

test.describe("bound to another address", () => {
  let server: ChildProcess;
  let port: number;
  let loginLink: string;
  let output = "";

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    port = await freePort();
    server = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
      cwd: root,
      env: { ...process.env, HOST: "0.0.0.0", PORT: String(port), DATABASE_URL: process.env.E2E_DATABASE_URL, LIM_TOKEN: "", LIM_NO_DEMO: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (d) => (output += d));
    server.stderr!.on("data", (d) => (output += d));
    const t0 = Date.now();
    while (!/api\/signin\?token=\S+/.test(output)) {
      if (Date.now() - t0 > 170_000 || server.exitCode !== null) throw new Error(`the server printed no login link:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const printed = new URL(/http:\/\/\S+\/api\/signin\?token=\S+/.exec(output)![0]);
    loginLink = `http://127.0.0.1:${port}${printed.pathname}${printed.search}`;
  });
  test.afterAll(() => {
    server?.kill("SIGTERM");
  });

  test("every API route needs the printed token: none or a wrong one is 401", async ({ request }) => {
    const token = new URL(loginLink).searchParams.get("token")!;
    expect(token.length).toBeGreaterThanOrEqual(24);
    const api = `http://127.0.0.1:${port}/api/runs/${DEMO_RUN}/version`;
    expect((await request.get(api)).status()).toBe(401);
    expect((await request.get(api, { headers: { authorization: "Bearer wrong" } })).status()).toBe(401);
    const ok = await request.get(api, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status()).toBe(200);
    const runs = JSON.parse(lim(["runs", "--json"]).toString("utf8")) as { name: string; sampleCount: number }[];
    expect((await ok.json()).sampleCount).toBe(runs.find((r) => r.name === DEMO_RUN)!.sampleCount);
    expect((await request.get(`http://127.0.0.1:${port}/api/runs/${DEMO_RUN}/export`, { headers: { authorization: "Bearer wrong" } })).status()).toBe(401);
  });

  test("a browser goes to the sign-in page, signs in once with the token, and keeps an HttpOnly, SameSite=Strict session", async ({ page, context }) => {
    const token = new URL(loginLink).searchParams.get("token")!;
    await page.goto(`http://127.0.0.1:${port}/runs/${DEMO_RUN}`);
    await expect(page).toHaveURL(/\/signin\?next=/);
    await page.getByLabel("Token").fill("not the token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("That token is not this server's.")).toBeVisible();
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${DEMO_RUN}$`));
    await expect(page.getByTestId("selected-count")).toContainText(" of ");
    const session = (await context.cookies()).find((c) => c.name === "lim_session")!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Strict");
    expect(session.value).not.toContain(token);
    // The login link signs a fresh browser in directly.
    await context.clearCookies();
    await page.goto(loginLink);
    await expect(page).toHaveURL(`http://127.0.0.1:${port}/`);
    await expect(page.getByRole("link", { name: DEMO_RUN }).first()).toBeVisible();
  });
});
