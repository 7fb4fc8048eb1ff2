/** A file's content, or a symlink to a path (relative to the link's folder). */
export type CaseFile = string | Uint8Array | { symlink: string };

export interface HostileCase {
  /** Unique; also the run name the ingest is asked to create. */
  name: string;
  /** Relative path -> content. Folders are made as needed. */
  files: Record<string, CaseFile>;
  /** The path given to `lim ingest`, relative to the temp folder. */
  path: string;
  format: "openrlhf" | "verl" | "trl" | "nemo-rl" | "jsonl" | "csv";
  /** --dataset, relative to the temp folder. */
  dataset?: string;
  /** Any other flags (--id-field id, ...). */
  flags?: string[];
  /** Permission bits to set after writing (relative path -> mode). */
  chmod?: Record<string, number>;
  /** Why the case cannot be run here, if it cannot (checked when the test runs). */
  skip?: () => string | false;
  expect: {
    /** The file the message must name. */
    file: RegExp;
    /** The line, row or element, where the format has them. */
    where?: RegExp;
    /** The field, where one is at fault. */
    field?: RegExp;
    /** Words the message must hold beyond the place ("save it as UTF-8"). */
    says?: RegExp;
  };
}
