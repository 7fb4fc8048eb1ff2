import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

/**
 * Prisma's own schema engine (migrate deploy, migrate diff) through its WASM build, so
 * migrations work offline without the native engine the CLI would download.
 * On Node 20 the package's entry cannot be imported (it imports a .wasm module), so the
 * module is instantiated by hand from the JS glue and the .wasm file beside it.
 */
type Glue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
};

let gluePromise: Promise<Glue> | null = null;

function loadGlue(): Promise<Glue> {
  gluePromise ??= (async () => {
    // The glue reports Rust panics here; without it a panic surfaces as a TypeError.
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string; set_message(m: string): void } };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: "",
      set_message(m: string) {
        this.message = `schema engine panic: ${m}`;
      },
    };
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Glue;
    const wasmPath = path.join(path.dirname(resolveGlue()), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return gluePromise;
}

function resolveGlue(): string {
  // import.meta.url is the source file under tsx; fall back to the project root (cwd) when
  // a bundler has rewritten it.
  for (const base of [import.meta.url, path.join(process.cwd(), "package.json")]) {
    try {
      return createRequire(base).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    } catch {
      // try the next base
    }
  }
  throw new Error("cannot find @prisma/schema-engine-wasm; run npm install");
}

export interface EngineSession {
  engine: SchemaEngine;
  /** Frees the engine and closes every connection it opened (engine.free() does not). */
  close(): Promise<void>;
  /** Turns "External error id#N" into the adapter's own message. */
  explain(error: unknown): Error;
}

export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles?: [path: string, content: string][],
): Promise<EngineSession> {
  const glue = await loadGlue();
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => remember(await factory.connect()),
    connectToShadowDb: async () => remember(await factory.connectToShadowDb()),
  };
  function remember(adapter: SqlDriverAdapter): SqlDriverAdapter {
    opened.push(adapter);
    return adapter;
  }
  const bound = bindMigrationAwareSqlAdapterFactory(tracking);
  const explain = (error: unknown): Error => explainEngineError(error, bound.errorRegistry);
  let engine: SchemaEngine;
  try {
    // The engine panics without a datamodel; a bare datasource is enough to apply migrations.
    const datamodels = schemaFiles ?? [["schema.prisma", `datasource db {\n  provider = "${providerName(factory.provider)}"\n}\n`]];
    engine = await glue.SchemaEngine.new({ datamodels }, () => {}, bound);
  } catch (error) {
    throw explain(error);
  }
  return {
    engine,
    explain,
    async close() {
      engine.free();
      await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}

function providerName(provider: string): string {
  return provider === "postgres" ? "postgresql" : provider;
}

function explainEngineError(error: unknown, registry: { consumeError(id: number): unknown }): Error {
  const message = error instanceof Error ? error.message : String(error);
  const match = /External error id#(\d+)/.exec(message);
  if (!match) return error instanceof Error ? error : new Error(message);
  const cause = registry.consumeError(Number(match[1])) as { error?: unknown } | undefined;
  const detail = cause?.error !== undefined ? JSON.stringify(cause.error) : "unknown adapter error";
  return new Error(`${message.replace(match[0], "")} ${detail}`.trim(), { cause: error });
}
