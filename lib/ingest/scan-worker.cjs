// Worker entry. The library is TypeScript and a worker does not inherit the parent's
// loader; tsx's CommonJS hook compiles in this thread (from tsx's cache: ~50 ms), where its
// ESM hook would start a loader thread per worker (~0.5-1 s on two cores).
require("tsx/cjs/api").register();
require("./scan-worker.ts");
