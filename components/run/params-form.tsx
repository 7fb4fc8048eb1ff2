"use client";
import { useEffect, useState } from "react";
import { isEpochMode } from "../../lib/lim/epochs";
import { LOGGED_SUCCESS_REASON } from "../../lib/lim/success-rule";
import type { EpochMode, SuccessRule } from "../../lib/lim/types";

export interface ScoringParams {
  stepsPerEpoch: number | null;
  maxEpochs: number | null;
  successReward: number | null;
  epochMode: EpochMode | null;
}

const RULE_LABELS: Record<EpochMode, string> = { steps: "steps per epoch", visits: "each prompt's visits" };

/**
 * Scoring parameters: the epoch rule, steps per epoch, epoch window and success reward.
 * Changing them re-scores on the server from the stored aggregates (no re-ingest); empty
 * means the run's own.
 */
export function ParamsForm({
  value,
  defaults,
  busy,
  error,
  onApply,
}: {
  value: ScoringParams;
  /** The run's own values; successRule "logged" fixes the success reward (default "equals"). */
  defaults: { stepsPerEpoch: number; maxEpochs: number; successReward: number; epochMode: EpochMode; successRule?: SuccessRule };
  busy: boolean;
  error: string | null;
  onApply: (p: ScoringParams) => void;
}) {
  const [spe, setSpe] = useState(value.stepsPerEpoch?.toString() ?? "");
  const [me, setMe] = useState(value.maxEpochs?.toString() ?? "");
  const [sr, setSr] = useState(value.successReward?.toString() ?? "");
  const [rule, setRule] = useState<string>(value.epochMode ?? "");
  useEffect(() => {
    setSpe(value.stepsPerEpoch?.toString() ?? "");
    setMe(value.maxEpochs?.toString() ?? "");
    setSr(value.successReward?.toString() ?? "");
    setRule(value.epochMode ?? "");
  }, [value.stepsPerEpoch, value.maxEpochs, value.successReward, value.epochMode]);
  const none = { stepsPerEpoch: null, maxEpochs: null, successReward: null, epochMode: null };
  const parse = (s: string) => (s.trim() === "" ? null : Number(s));
  // Logged success is not a function of the reward: no other success reward can be applied.
  const successFixed = defaults.successRule === "logged";
  return (
    <form
      className="params-form"
      aria-label="Scoring parameters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ stepsPerEpoch: parse(spe), maxEpochs: parse(me), successReward: successFixed ? null : parse(sr), epochMode: isEpochMode(rule) ? rule : null });
      }}
    >
      <label className="field">
        Epochs counted by
        <select className="input" value={rule} onChange={(e) => setRule(e.target.value)}>
          <option value="">run default ({RULE_LABELS[defaults.epochMode]})</option>
          <option value="steps">{RULE_LABELS.steps} (the reference)</option>
          <option value="visits">{RULE_LABELS.visits} (k-th visit = epoch k)</option>
        </select>
      </label>
      <label className="field">
        Steps per epoch
        <input
          className="input"
          type="number"
          min={1}
          step={1}
          placeholder={String(defaults.stepsPerEpoch)}
          value={spe}
          onChange={(e) => setSpe(e.target.value)}
          disabled={(isEpochMode(rule) ? rule : defaults.epochMode) === "visits"}
          title="Not used when epochs are counted by visits"
        />
      </label>
      <label className="field">
        Epoch window (max epochs)
        <input className="input" type="number" min={1} step={1} placeholder={`all (${defaults.maxEpochs})`} value={me} onChange={(e) => setMe(e.target.value)} />
      </label>
      <label className="field">
        Success reward
        <input
          className="input"
          type="number"
          step="any"
          placeholder={String(defaults.successReward)}
          value={sr}
          onChange={(e) => setSr(e.target.value)}
          disabled={successFixed}
          title={
            successFixed
              ? `This run's ${LOGGED_SUCCESS_REASON}`
              : defaults.successRule === "at-least"
                ? "A rollout succeeds when its reward is at least this value"
                : "A rollout succeeds when its reward equals this value"
          }
        />
      </label>
      <div className="params-actions">
        <button className="btn" type="submit" disabled={busy}>
          {busy ? "Scoring…" : "Re-score"}
        </button>
        <button
          className="btn"
          type="button"
          disabled={busy || (value.stepsPerEpoch === null && value.maxEpochs === null && value.successReward === null && value.epochMode === null)}
          onClick={() => onApply(none)}
        >
          Reset
        </button>
      </div>
      {error && (
        <p className="error-text params-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
