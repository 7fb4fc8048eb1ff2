import { DATASET_CASES } from "./dataset-cases";
import { LOG_CASES } from "./log-cases";
import { TEXT_RULE_CASES } from "./text-rule-cases";

/**
 * The hostile-input corpus: malformed or hostile logs and datasets, each refused by `lim ingest`
 * with a message that names the file and, where the format has them, the line, row or element
 * and the field. Every case is declarative: the files to write into an empty temp folder (text,
 * or bytes made here: nothing large is committed), the ingest arguments, and what the message
 * must name. hostile-corpus.test.ts runs each one through the real CLI and also checks the exit
 * code, that no run was left behind, and that an existing run is byte-identical afterwards.
 *
 * To add a case: append an entry to the file of its kind (openrlhf-cases.ts, trainer-log-cases.ts,
 * generic-log-cases.ts, dataset-cases.ts, text-rule-cases.ts; building blocks in
 * case-builders.ts). Its name becomes the run name (keep it to a-z, 0-9 and dashes).
 */
export type { CaseFile, HostileCase } from "./case-types";

export const HOSTILE_CASES = [...LOG_CASES, ...DATASET_CASES, ...TEXT_RULE_CASES];
