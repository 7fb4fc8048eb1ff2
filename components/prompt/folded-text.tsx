import { foldedRest, foldText } from "../../lib/view/prompt-page";
import { MathText } from "../math-text";
import { FoldedRest } from "./folded-rest";

/**
 * Untrusted long text (a response, a prompt): math rendered in the head, the tail folded away
 * and rendered only when opened, so a huge text costs the page its size, not KaTeX's markup.
 */
export function FoldedText({ text, maxChars = 700 }: { text: string; maxChars?: number }) {
  const { head, rest } = foldText(text, maxChars);
  return (
    <div className="folded-text">
      <MathText text={head} />
      {rest && <FoldedRest total={rest.length} {...foldedRest(rest)} />}
    </div>
  );
}
