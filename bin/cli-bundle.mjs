// The CLI's code as plain JavaScript. The library is TypeScript; compiling it on every start
// through tsx cost ~0.6 s of a command (`lim --help` took ~0.8 s, `lim score` of a million
// prompts ~2.7 s). So it is bundled once with esbuild, into node_modules/.cache/lim-cli, and
// rebuilt whenever a file it was built from changed: each input's mtime and size (and those
// of the folders its code sits in, so an added file that could change how an import resolves
// counts too) are recorded beside the bundle and checked at every start (a few ms).
// Packages stay outside the bundle (native better-sqlite3, Prisma's runtime, pg): they load
// from node_modules as before. The scan workers get their own bundle beside it.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "lim-cli");
const MANIFEST = path.join(CACHE, "current.json");
/** Files that shape the build besides its inputs: esbuild reads tsconfig.json, this file decides the options. */
const SETTINGS = ["package.json", "tsconfig.json", "bin/cli-bundle.mjs"];
const FORMAT = 1;

/** The bundle's entry (a file: URL), built first if missing or older than a source; null when it cannot be built. */
export async function cliEntry() {
  try {
    return freshEntry() ?? (await build());
  } catch (e) {
    if (process.env.LIM_DEBUG) console.error("lim: no CLI bundle, running the TypeScript through tsx:", e);
    return null;
  }
}

/** The recorded bundle's entry when every file it was built from is as recorded, else null. */
export function freshEntry() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
  } catch {
    return null;
  }
  // A copied node_modules (a second checkout) carries another checkout's manifest.
  if (manifest.format !== FORMAT || manifest.root !== ROOT) return null;
  for (const [file, mtimeMs, size] of manifest.files) {
    let st;
    try {
      st = statSync(path.join(ROOT, file));
    } catch {
      return null;
    }
    if (st.mtimeMs !== mtimeMs || st.size !== size) return null;
  }
  return pathToFileURL(path.join(CACHE, manifest.dir, "main.mjs")).href;
}

/** Builds the CLI and the scan worker, records what they were built from, and returns the entry. */
export async function build() {
  const started = Date.now();
  const [esbuild, { createHash }] = await Promise.all([import("esbuild"), import("node:crypto")]);
  const common = { bundle: true, platform: "node", format: "esm", target: "node20", write: false, metafile: true, logLevel: "silent", absWorkingDir: ROOT };
  const [cli, worker] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ["lib/cli/main.ts"],
      outfile: "main.mjs",
      packages: "external",
      // worker-entry.ts starts this bundle's scan workers from the file beside it.
      define: { LIM_BUNDLED_SCAN_WORKER: JSON.stringify("./scan-worker.mjs") },
      sourcemap: "linked",
      sourcesContent: false,
    }),
    // As worker-entry.ts bundles it when the CLI runs through tsx.
    esbuild.build({ ...common, entryPoints: ["lib/ingest/scan/scan-worker.ts"], outfile: "scan-worker.mjs" }),
  ]);
  const outputs = [...cli.outputFiles, ...worker.outputFiles];
  const hash = createHash("sha256");
  for (const o of outputs) hash.update(o.path).update(o.contents);
  const dir = `b-${hash.digest("hex").slice(0, 16)}`;
  mkdirSync(path.join(CACHE, dir), { recursive: true });
  for (const o of outputs) {
    const file = path.join(CACHE, dir, path.basename(o.path));
    // The source map names sources relative to where esbuild thought it wrote: the root.
    const contents = o.path.endsWith(".map") ? relocatedMap(o.text, dir) : o.contents;
    atomicWrite(file, contents);
  }
  const inputs = new Set([...Object.keys(cli.metafile.inputs), ...Object.keys(worker.metafile.inputs)]);
  // Folders where a new file could change what an extensionless import names; package.json
  // is imported by its full name, and the root is where databases and their journals come and go.
  const folders = new Set([...inputs].filter((f) => !f.endsWith(".json")).map((f) => path.dirname(f)));
  const files = [...new Set([...SETTINGS, ...inputs, ...folders])].map((file) => {
    const st = statSync(path.join(ROOT, file));
    // Edited while the build read it: record nothing that could match, so the next start builds again.
    return st.mtimeMs >= started ? [file, -1, -1] : [file, st.mtimeMs, st.size];
  });
  atomicWrite(MANIFEST, JSON.stringify({ format: FORMAT, root: ROOT, dir, files }));
  removeStale(dir);
  return pathToFileURL(path.join(CACHE, dir, "main.mjs")).href;
}

function relocatedMap(text, dir) {
  const map = JSON.parse(text);
  const up = path.relative(path.join(CACHE, dir), ROOT);
  map.sources = map.sources.map((s) => path.join(up, s));
  return JSON.stringify(map);
}

/** Whole files only: a CLI starting meanwhile reads the old file or the new one. */
function atomicWrite(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/** Earlier builds, once a day old (a command of that version may still be running or starting workers). */
function removeStale(keep) {
  for (const f of readdirSync(CACHE)) {
    if (!f.startsWith("b-") || f === keep) continue;
    try {
      if (Date.now() - statSync(path.join(CACHE, f)).mtimeMs > 86_400_000) rmSync(path.join(CACHE, f), { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

// `node bin/cli-bundle.mjs` (npm's postinstall): build now, so the first command starts fast.
// A failure must not fail the install: `lim` then builds at its first start, or runs through tsx.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build().catch((e) => console.warn(`lim: the CLI bundle was not built (${e.message}); lim will try again when it starts`));
}
