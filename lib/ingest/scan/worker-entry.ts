import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * What a scan worker runs. The library is TypeScript and a worker does not inherit the
 * parent's loader, so the plain way is a bootstrap that registers tsx in each worker
 * (scan-worker.cjs): ~0.2 s and ~8 MB per worker, on a run that scans 2.6 GB in ~2 s. So the
 * worker's code is bundled once into plain JavaScript with esbuild (which tsx already
 * brings), cached in the temp dir under a hash of its sources, and loaded directly; if that
 * fails for any reason the tsx bootstrap still works.
 *
 * Keep hot code on plain imports: a bundle turns top-level `const x = ns.fn` aliases into
 * `var`, which V8 cannot treat as constant (the scanner ran ~1.7x slower that way).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
/** The folders the worker's imports live in (scan-worker.ts and what it imports: scan/, errors.ts, lib/lim): its cache key. */
const SOURCE_DIRS = [here, path.join(here, ".."), path.join(here, "..", "..", "lim")];

let cached: Promise<URL> | null = null;

/** Set by the CLI's build (bin/cli-bundle.mjs): that build's scan worker, beside the CLI's bundle. */
declare const LIM_BUNDLED_SCAN_WORKER: string | undefined;

export function scanWorkerEntry(): Promise<URL> {
  if (typeof LIM_BUNDLED_SCAN_WORKER === "string") return Promise.resolve(new URL(LIM_BUNDLED_SCAN_WORKER, import.meta.url));
  cached ??= bundled().catch(() => new URL("./scan-worker.cjs", import.meta.url));
  return cached;
}

async function bundled(): Promise<URL> {
  const hash = createHash("sha256");
  for (const dir of SOURCE_DIRS) {
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith(".ts") || f.endsWith(".test.ts")) continue;
      hash.update(f).update(readFileSync(path.join(dir, f)));
    }
  }
  const file = path.join(os.tmpdir(), `lim-studio-scan-worker-${hash.digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    const esbuild = await import("esbuild");
    const out = await esbuild.build({
      entryPoints: [path.join(here, "scan-worker.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      logLevel: "silent",
    });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, out.outputFiles[0].contents);
    renameSync(tmp, file); // atomic: a concurrent ingest sees the whole file or none
    removeStale(path.basename(file));
  }
  return pathToFileURL(file);
}

/** Bundles of older sources (a day old: a process of that version may still be starting one). */
function removeStale(keep: string): void {
  const dir = os.tmpdir();
  for (const f of readdirSync(dir)) {
    if (!f.startsWith("lim-studio-scan-worker-") || f === keep) continue;
    try {
      if (Date.now() - statSync(path.join(dir, f)).mtimeMs > 86_400_000) unlinkSync(path.join(dir, f));
    } catch {
      // another process removed it first
    }
  }
}
