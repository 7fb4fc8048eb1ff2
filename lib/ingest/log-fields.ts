/**
 * Names of a log's fields, for formats whose records vary (generic JSONL/CSV) and for the
 * fields a user may point at in any format (a stable id, a success flag). Each is a field
 * name, or a dotted path into nested objects ("extra_info.index").
 */
export interface LogFields {
  /** The prompt text. */
  prompt?: string;
  /** A stable prompt id: when set, prompts are identified by it rather than by their text. */
  id?: string;
  /** The training step of the rollout. */
  step?: string;
  /** The scalar reward; for TRL, a reward function's column or "sum" of them all. */
  reward?: string;
  /** A boolean (or 0/1) saying whether the rollout succeeded; else reward === success reward. */
  success?: string;
  /** The response text. */
  response?: string;
}
