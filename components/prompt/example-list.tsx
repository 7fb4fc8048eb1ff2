import type { EpochExamples } from "../../lib/view/prompt-page";
import { formatInt } from "../../lib/view/format";
import { FoldedText } from "./folded-text";

/** The kept rollouts of each epoch, reward first: what the model actually wrote. */
export function ExampleList({ groups }: { groups: EpochExamples[] }) {
  if (groups.length === 0) return <p className="muted">No example rollout was kept for this prompt.</p>;
  return (
    <div className="example-list">
      {groups.map((g) => (
        <section key={g.epoch} className="example-epoch">
          <h3>Epoch {g.epoch}</h3>
          <div className="example-grid">
            {g.examples.map((ex, i) => (
              <article key={i} className={`example${ex.success ? " success" : " failure"}`}>
                <header>
                  <span className={`reward-badge${ex.success ? " success" : ""}`}>reward {ex.reward}</span>
                  <span className="muted">
                    step {ex.step} · {formatInt(ex.responseLength)} tokens · {ex.success ? "success" : "failure"}
                  </span>
                </header>
                <FoldedText text={ex.response} maxChars={420} />
              </article>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
