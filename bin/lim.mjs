#!/usr/bin/env node
// The `lim` command. The library is TypeScript: it runs from a bundle in plain JavaScript,
// rebuilt whenever a source changed (cli-bundle.mjs), or through tsx (which compiles it on
// the fly) when no bundle can be built or LIM_CLI_TSX=1 asks for the sources themselves.
import { cliEntry } from "./cli-bundle.mjs";

// `lim export ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
const entry = process.env.LIM_CLI_TSX === "1" ? null : await cliEntry();
let main;
if (entry) {
  // Stack traces name the TypeScript lines (the bundle's source map); only when asked, it costs a parse.
  if (process.env.LIM_DEBUG) process.setSourceMapsEnabled(true);
  ({ main } = await import(entry));
} else {
  (await import("tsx/esm/api")).register();
  ({ main } = await import("../lib/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
