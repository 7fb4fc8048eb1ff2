#!/usr/bin/env node
// The `lim` command. The library is TypeScript; tsx compiles it on the fly (and caches it).
import { register } from "tsx/esm/api";

register();
// `lim export ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
