// Fallback worker entry, when the plain-JavaScript bundle cannot be built (worker-entry.ts).
// A worker does not inherit the parent's TypeScript loader: register tsx's CommonJS hook in
// this thread (its ESM hook would start a loader thread per worker, ~0.5 s on two cores).
// Imported calls then go through CommonJS getters, ~1.5x slower scanning than the bundle.
require("tsx/cjs/api").register();
require("./scan-worker.ts");
