import { foldText } from "../../lib/view/prompt-page";
import { MathText } from "../math-text";

/** Untrusted long text (a response, a prompt): math rendered, the tail folded away. */
export function FoldedText({ text, maxChars = 700 }: { text: string; maxChars?: number }) {
  const { head, rest } = foldText(text, maxChars);
  return (
    <div className="folded-text">
      <MathText text={head} />
      {rest && (
        <details>
          <summary>Show the remaining {rest.length.toLocaleString("en-US")} characters</summary>
          <MathText text={rest} />
        </details>
      )}
    </div>
  );
}
