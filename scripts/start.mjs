#!/usr/bin/env node
// `npm start`: the dashboard on a fresh clone in one command.
//   1. open the database (getPrisma applies committed migrations),
//   2. when it holds no run, ingest the seeded demo run so a newcomer sees real curves,
//   3. build the app when .next is missing or older than the sources,
//   4. `next start` on HOST (default 127.0.0.1) and PORT (default 3000).
// Set LIM_NO_DEMO=1 to skip the demo run. Bound to any address but loopback, every page and
// API route needs a token: LIM_TOKEN, else one made here and printed with a login link.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const HOST = process.env.HOST || "127.0.0.1";
const PORT = process.env.PORT || "3000";
if (!/^\d+$/.test(PORT) || Number(PORT) > 65535) fail(`PORT must be a port number, got "${PORT}"`);

const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const STAMP = path.join(root, ".next", "lim-build-stamp");
/** What the build depends on. Tests are left out: editing one must not cost a rebuild. */
const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "next.config.ts", "tsconfig.json", "package.json"];

function fail(message) {
  console.error(`lim start: ${message}`);
  process.exit(1);
}

function log(message) {
  console.error(`lim start: ${message}`);
}

function sourceHash() {
  const hash = createHash("sha256");
  const visit = (rel) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (name === "node_modules" || name.startsWith(".")) continue;
        visit(path.join(rel, name));
      }
    } else if (!/\.test\.tsx?$/.test(rel)) {
      hash.update(rel).update("\0").update(readFileSync(abs)).update("\0");
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

/**
 * Through the `lim` CLI (the same library the app reads with): `lim runs` opens the database
 * and applies the committed migrations; `lim demo` generates and ingests the seeded demo run.
 */
function prepareDatabase() {
  const lim = (args, stdio) => spawnSync(process.execPath, [path.join(root, "bin", "lim.mjs"), ...args], { stdio, env: process.env, encoding: "utf8" });
  const listed = lim(["runs", "--json"], ["ignore", "pipe", "pipe"]);
  if (listed.status !== 0) {
    // Serve anyway: the pages explain a database that cannot be opened.
    log(`the database could not be opened: ${(listed.stderr || "").trim() || `exit code ${listed.status}`}`);
    return;
  }
  let runs = [];
  try {
    runs = JSON.parse(listed.stdout);
  } catch {
    log("could not read `lim runs --json`; skipping the demo run");
    return;
  }
  if (runs.length > 0) {
    log(`the database holds ${runs.length} run${runs.length === 1 ? "" : "s"}`);
    return;
  }
  if (process.env.LIM_NO_DEMO === "1") return log("no runs yet (LIM_NO_DEMO=1: no demo run)");
  log("no runs yet: generating and ingesting the seeded demo run (once)…");
  const demo = lim(["demo"], ["ignore", "inherit", "inherit"]);
  if (demo.status !== 0) log("the demo run could not be created (see above); serving an empty dashboard");
}

function buildIfStale() {
  const hash = sourceHash();
  const built = existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === hash;
  if (built) return;
  log(existsSync(path.join(root, ".next", "BUILD_ID")) ? "sources changed since the last build: rebuilding…" : "no build yet: building the app…");
  const result = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: process.env });
  if (result.status !== 0) fail("next build failed (see above)");
  writeFileSync(STAMP, `${hash}\n`);
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1"];
/** The token the server asks for (app/_server/access.ts reads LIM_AUTH_TOKEN), or null on loopback without LIM_TOKEN. */
function serverToken() {
  const given = (process.env.LIM_TOKEN || "").trim();
  if (given) return { token: given, made: false };
  if (LOOPBACK.includes(HOST)) return null;
  return { token: randomBytes(24).toString("base64url"), made: true };
}

prepareDatabase();
buildIfStale();
const shown = HOST.includes(":") ? `[${HOST}]` : HOST;
const auth = serverToken();
// Memory the server allocates for a while (a million prompts' text order, an export's rows,
// the search index's pages as it inflates them) goes back to the system once freed: glibc's
// malloc otherwise raises its mmap threshold to the largest block freed so far, and serves
// later large blocks from a heap it never returns (~200 MB held after building a text order).
// Ignored by other C libraries; the environment can set its own value.
const mallocEnv = { MALLOC_MMAP_THRESHOLD_: "262144" };
const serverEnv = { ...mallocEnv, ...process.env, LIM_AUTH_TOKEN: auth ? auth.token : "" };
// Idle connections stay open longer than a client or proxy keeps them (Node's default, 5 s, is
// shorter than nginx's and undici's reuse window): when a busy moment delays the server past the
// timeout, it would close a connection a request had just been sent on (ECONNRESET).
const KEEP_ALIVE_MS = 65_000;
const server = spawn(process.execPath, [nextBin, "start", "-H", HOST, "-p", PORT, "--keepAliveTimeout", String(KEEP_ALIVE_MS)], { stdio: "inherit", env: serverEnv });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
warmUp();

/**
 * Once the server answers, open the runs list once: it scores every run (kept in the
 * server's cache), so the first person to open a run does not wait for its scoring.
 */
async function warmUp() {
  const host = HOST === "0.0.0.0" || HOST === "::" ? "127.0.0.1" : shown;
  const started = performance.now();
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://${host}:${PORT}/`, auth ? { headers: { authorization: `Bearer ${auth.token}` } } : {});
      await res.arrayBuffer();
      log(`ready on http://${shown}:${PORT} (runs scored in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
      if (auth) {
        const where = HOST === "0.0.0.0" || HOST === "::" ? hostname() : shown;
        const link = `http://${where}:${PORT}/api/signin?token=${encodeURIComponent(auth.token)}`;
        log(auth.made ? `every page and API route needs a token; sign in with:\n    ${link}\n  (set LIM_TOKEN to choose the token; scripts send Authorization: Bearer <token>)` : `LIM_TOKEN is set: sign in at http://${shown}:${PORT}/signin, scripts send Authorization: Bearer <token>`);
      }
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
