import { writeFile, rename } from "node:fs/promises";
import { manifestPath } from "../../export/manifest";
import { writeSetExport } from "../../sets";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { parseFlags, stringFlag } from "../flags";
import { exportFormatFlag } from "../format-flag";
import { int } from "../format";

export const setsExport: Command = {
  name: "export",
  usage: "lim sets export <set> [--format jsonl|json|parquet] [--out FILE|-] [--manifest]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { format: { type: "string", short: "f" }, out: { type: "string", short: "o" }, manifest: { type: "boolean" } }, ["set"]);
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nWrites exactly the bytes lim export wrote for the set's parameters when it was saved (default format: the one it was saved with).\n` +
          "  --manifest  also write FILE.manifest.json: lim export's manifest as of save time, plus the set (needs --out FILE)\n",
      );
    }
    const format = exportFormatFlag(values);
    const out = stringFlag(values, "out") ?? "-";
    const manifest = values.manifest === true;
    if (manifest && out === "-") throw new UsageError("--manifest needs --out FILE: the manifest is written beside the exported file");
    if (format === "parquet" && out === "-" && process.stdout.isTTY) throw new UsageError("Parquet is binary: pass --out FILE or redirect stdout to a file");
    const e = await writeSetExport(positional.set, format, out === "-" ? process.stdout : out);
    process.stderr.write(`Exported set "${e.set.name}": ${int(e.set.counts.rows)} rows as ${e.format}${out === "-" ? "" : ` to ${out}`} (sha256 ${e.sha256}).\n`);
    if (manifest) {
      const file = manifestPath(out);
      const partial = `${file}.partial-${process.pid}`;
      await writeFile(partial, JSON.stringify(e.manifest(out), null, 2) + "\n");
      await rename(partial, file);
      process.stderr.write(`Manifest: ${file}.\n`);
    }
  },
};
