"use client";
import { useEffect, useState } from "react";

export interface ScoringParams {
  stepsPerEpoch: number | null;
  maxEpochs: number | null;
  successReward: number | null;
}

/**
 * Scoring parameters: steps per epoch, epoch window and success reward. Changing them
 * re-scores on the server from the stored aggregates (no re-ingest); empty means the run's own.
 */
export function ParamsForm({
  value,
  defaults,
  busy,
  error,
  onApply,
}: {
  value: ScoringParams;
  defaults: { stepsPerEpoch: number; maxEpochs: number; successReward: number };
  busy: boolean;
  error: string | null;
  onApply: (p: ScoringParams) => void;
}) {
  const [spe, setSpe] = useState(value.stepsPerEpoch?.toString() ?? "");
  const [me, setMe] = useState(value.maxEpochs?.toString() ?? "");
  const [sr, setSr] = useState(value.successReward?.toString() ?? "");
  useEffect(() => {
    setSpe(value.stepsPerEpoch?.toString() ?? "");
    setMe(value.maxEpochs?.toString() ?? "");
    setSr(value.successReward?.toString() ?? "");
  }, [value.stepsPerEpoch, value.maxEpochs, value.successReward]);
  const parse = (s: string) => (s.trim() === "" ? null : Number(s));
  return (
    <form
      className="params-form"
      aria-label="Scoring parameters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ stepsPerEpoch: parse(spe), maxEpochs: parse(me), successReward: parse(sr) });
      }}
    >
      <label className="field">
        Steps per epoch
        <input className="input" type="number" min={1} step={1} placeholder={String(defaults.stepsPerEpoch)} value={spe} onChange={(e) => setSpe(e.target.value)} />
      </label>
      <label className="field">
        Epoch window (max epochs)
        <input className="input" type="number" min={1} step={1} placeholder={`all (${defaults.maxEpochs})`} value={me} onChange={(e) => setMe(e.target.value)} />
      </label>
      <label className="field">
        Success reward
        <input className="input" type="number" step="any" placeholder={String(defaults.successReward)} value={sr} onChange={(e) => setSr(e.target.value)} />
      </label>
      <div className="params-actions">
        <button className="btn" type="submit" disabled={busy}>
          {busy ? "Scoring…" : "Re-score"}
        </button>
        <button
          className="btn"
          type="button"
          disabled={busy || (value.stepsPerEpoch === null && value.maxEpochs === null && value.successReward === null)}
          onClick={() => onApply({ stepsPerEpoch: null, maxEpochs: null, successReward: null })}
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
