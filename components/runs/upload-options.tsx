"use client";
import { UPLOAD_FORMATS, type UploadFormat } from "../../lib/view/upload-files";

const FORMAT_LABELS: Record<UploadFormat, string> = {
  auto: "auto (from the file names)",
  openrlhf: "OpenRLHF (step_N.json)",
  verl: "verl (N.jsonl rollout dumps)",
  trl: "TRL (completions_NNNNN.parquet)",
  "nemo-rl": "NeMo-RL (train_data_stepN.jsonl)",
  jsonl: "JSONL rows (name the fields)",
  csv: "CSV rows (name the fields)",
};

/** The log format: it decides which picked files are logs, so the form keeps it in state. */
export function FormatSelect({ value, onChange }: { value: UploadFormat; onChange: (f: UploadFormat) => void }) {
  return (
    <label className="field">
      Log format
      <select className="input" name="format" value={value} onChange={(e) => onChange(e.target.value as UploadFormat)}>
        {UPLOAD_FORMATS.map((f) => (
          <option key={f} value={f}>
            {FORMAT_LABELS[f]}
          </option>
        ))}
      </select>
    </label>
  );
}

const GRID = { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))", gap: 10, alignItems: "start" } as const;

const LOG_FIELDS = [
  { name: "logPrompt", label: "Prompt field", placeholder: "prompt" },
  { name: "logStep", label: "Step field", placeholder: "step" },
  { name: "logReward", label: "Reward field", placeholder: "reward (TRL: a reward column, or sum)" },
  { name: "logSuccess", label: "Success field", placeholder: "none: from the reward (verl: acc)" },
  { name: "logId", label: "Prompt id field", placeholder: "none: prompts by text" },
];

/**
 * Ingest's less common options, as form fields named for uploadFieldsSchema: the log's field
 * names (JSONL/CSV logs; id, success and reward apply to any format), the dataset's prompt and
 * id fields, the epoch rule, the success reward and examples kept.
 */
export function UploadOptions({ format }: { format: UploadFormat }) {
  const generic = format === "jsonl" || format === "csv";
  return (
    <details className="field upload-advanced" open={generic || undefined} style={{ gridColumn: "1 / -1" }}>
      <summary>More options</summary>
      <p className="muted" style={{ margin: 0, fontSize: 12.5 }}>
        Log fields{generic ? "" : " (for JSONL/CSV logs; id, success and reward work for any format)"}, dotted paths allowed
      </p>
      <div style={GRID}>
        {LOG_FIELDS.map((f) => (
          <label className="field" key={f.name}>
            {f.label}
            <input className="input" name={f.name} placeholder={f.placeholder} />
          </label>
        ))}
      </div>
      <div style={GRID}>
        <label className="field">
          Prompt field in the dataset
          <input className="input" name="promptField" placeholder="prompt (verl: its user message)" />
        </label>
        <label className="field">
          Id field in the dataset
          <input className="input" name="datasetIdField" placeholder="the id field's name, else extra_info.index" />
        </label>
        <label className="field">
          Epochs counted by
          <select className="input" name="epochMode" defaultValue="">
            <option value="">steps per epoch (the reference)</option>
            <option value="visits">each prompt&apos;s visits (k-th visit = epoch k)</option>
          </select>
        </label>
        <label className="field">
          Success reward
          <input className="input" name="successReward" type="number" step="any" placeholder="1" />
        </label>
        <label className="field">
          Example rollouts kept per prompt and epoch
          <input className="input" name="keepExamples" type="number" min={0} step={1} placeholder="2" />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" name="replace" /> Replace a run with the same name
      </label>
    </details>
  );
}
