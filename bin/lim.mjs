#!/usr/bin/env node
// The `lim` command. The library is TypeScript; tsx compiles it on the fly (and caches it).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
