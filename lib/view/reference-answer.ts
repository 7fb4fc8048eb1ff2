/**
 * A dataset row's reference answer, for reading the answers of prompts the model never solves
 * (hard-to-learn, where data cartography found label errors). Datasets name it differently:
 * MATH and LIMR `answer`, verl `reward_model.ground_truth` (and `extra_info.answer`), older verl
 * dumps `gts`, others `solution`, `target` or `label`; the first one present is taken.
 */
const ANSWER_PATHS = [["answer"], ["reward_model", "ground_truth"], ["extra_info", "answer"], ["ground_truth"], ["gts"], ["final_answer"], ["solution"], ["target"], ["label"], ["reference"]];

/** `json`: the row as stored (its source text). Null when the row has no answer field. */
export function referenceAnswer(json: string): string | null {
  let row: unknown;
  try {
    row = JSON.parse(json);
  } catch {
    return null;
  }
  for (const path of ANSWER_PATHS) {
    let v: unknown = row;
    for (const key of path) v = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
    if (v === undefined || v === null) continue;
    return typeof v === "string" ? v : JSON.stringify(v);
  }
  return null;
}
