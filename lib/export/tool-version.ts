import pkg from "../../package.json" with { type: "json" };

/** The package's name and version, written into manifests and Parquet footers. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;
