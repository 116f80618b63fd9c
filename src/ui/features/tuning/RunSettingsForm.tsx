import { useId, useState } from 'react';
import { LORA_TARGETS } from '../../../engine/engine.ts';
import { type RunSettings, SETTING_RANGES, type SettingRange } from '../../../fiat/project/tuning-settings.ts';
import { parseInRange, RUN_SETTING_WHY, runSteps, useRunSettings } from './run-settings-store.ts';
import { useTrainingShapes } from './tuning-store.ts';

interface NumberFieldProps {
  label: string;
  value: number;
  why: string;
  /** What the project's schema accepts (SETTING_RANGES); `max` tightens it where another field bounds it. */
  range: SettingRange;
  max?: number;
  step?: number;
  onChange: (v: number) => void;
}

/** A number field with its one-line why (its description); input out of range gets a message at the field and is not taken. */
function NumberField({ label, value, why, range, max = range.max, step, onChange }: NumberFieldProps) {
  const { min } = range;
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  // What is typed, kept while it is not a valid value; a change of the value from elsewhere (the batch clamping the
  // micro-batch) replaces it (React's "adjust state when a prop changes").
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(String(value));
    setProblem(null);
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={text}
        min={min}
        max={max}
        step={step ?? 1}
        aria-invalid={problem !== null}
        aria-describedby={`${id}-why${problem ? ` ${id}-problem` : ''}`}
        onChange={(e) => {
          const parsed = parseInRange(e.target.value, range, max);
          setText(e.target.value);
          setProblem(parsed.ok ? null : parsed.message);
          if (parsed.ok) {
            setShown(parsed.value);
            onChange(parsed.value);
          }
        }}
      />
      {problem && (
        <small id={`${id}-problem`} className="field-error" role="alert">
          {problem}
        </small>
      )}
      <small id={`${id}-why`} className="muted">
        {why}
      </small>
    </div>
  );
}

/** A choice among a few words, with its one-line why. */
function SelectField<T extends string>({ label, value, options, why, onChange }: { label: string; value: T; options: readonly T[]; why: string; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <>
      <label className="field">
        <span>{label}</span>
        <select value={value} aria-describedby={`${id}-why`} onChange={(e) => onChange(e.target.value as T)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <small id={`${id}-why`} className="muted">
        {why}
      </small>
    </>
  );
}

/**
 * The run's settings (defaults with why), and the LoRA and batch shapes the memory check also reads. `trainCount`: the
 * training examples, to say how many steps the epochs make.
 */
export function RunSettingsForm({ disabled, trainCount }: { disabled: boolean; trainCount: number }) {
  const settings = useRunSettings();
  const [shapes, setShapes] = useTrainingShapes();
  const set = (patch: Partial<RunSettings>) => settings.set(patch);
  const R = SETTING_RANGES;
  return (
    <fieldset className="run-settings" disabled={disabled}>
      <legend>Run settings</legend>
      <div className="run-settings-grid">
        <NumberField label="LoRA rank r" value={shapes.lora.r} range={R.r} why="Capacity of the adapter; 8 is LoRA's common choice for a small model." onChange={(r) => setShapes({ lora: { ...shapes.lora, r } })} />
        <NumberField label="LoRA alpha" value={shapes.lora.alpha} range={R.alpha} why="The update is scaled by alpha / r; alpha = 2r keeps the scale as r changes." onChange={(alpha) => setShapes({ lora: { ...shapes.lora, alpha } })} />
        <fieldset className="lora-targets">
          <legend>LoRA on</legend>
          {LORA_TARGETS.map((t) => (
            <label key={t} className="checkbox-line">
              <input
                type="checkbox"
                checked={shapes.lora.targets.includes(t)}
                onChange={(e) => {
                  const targets = e.target.checked ? [...shapes.lora.targets, t] : shapes.lora.targets.filter((x) => x !== t);
                  if (targets.length > 0) setShapes({ lora: { ...shapes.lora, targets: LORA_TARGETS.filter((x) => targets.includes(x)) } });
                }}
              />
              {t}
            </label>
          ))}
          <small className="muted">q and v are LoRA's original choice; the MLP too adds capacity and memory.</small>
        </fieldset>
        <NumberField label="Batch" value={shapes.batchSize} range={R.batchSize} why="Examples per optimizer step." onChange={(batchSize) => setShapes({ batchSize, microBatchSize: Math.min(shapes.microBatchSize, batchSize) })} />
        <NumberField label="Micro-batch" value={shapes.microBatchSize} range={R.microBatchSize} max={shapes.batchSize} why="Examples per pass; gradients add up over the batch, so only memory changes." onChange={(microBatchSize) => setShapes({ microBatchSize })} />
        <SelectField label="Run length in" value={settings.length} options={['steps', 'epochs']} why={RUN_SETTING_WHY.length} onChange={(length) => set({ length })} />
        {settings.length === 'steps' ? (
          <NumberField label="Steps" value={settings.steps} range={R.steps} why={RUN_SETTING_WHY.steps} onChange={(steps) => set({ steps })} />
        ) : (
          <NumberField label="Epochs" value={settings.epochs} range={R.epochs} step={0.5} why={`${RUN_SETTING_WHY.epochs}${trainCount > 0 ? ` Here: ${runSteps(settings, trainCount, shapes.batchSize).toLocaleString()} steps.` : ''}`} onChange={(epochs) => set({ epochs })} />
        )}
        <NumberField label="Learning rate" value={settings.lr} range={R.lr} step={1e-5} why={RUN_SETTING_WHY.lr} onChange={(lr) => set({ lr })} />
        <NumberField label="Warm-up steps" value={settings.warmupSteps} range={R.warmupSteps} why={RUN_SETTING_WHY.warmupSteps} onChange={(warmupSteps) => set({ warmupSteps })} />
        <SelectField label="Decay" value={settings.decay} options={['linear', 'cosine', 'constant']} why={RUN_SETTING_WHY.decay} onChange={(decay) => set({ decay })} />
        <NumberField label="Seed" value={settings.seed} range={R.seed} why={RUN_SETTING_WHY.seed} onChange={(seed) => set({ seed })} />
        <NumberField label="Evaluate every (steps)" value={settings.evalEvery} range={R.evalEvery} why={RUN_SETTING_WHY.evalEvery} onChange={(evalEvery) => set({ evalEvery })} />
        <NumberField label="Validation examples" value={settings.validationSize} range={R.validationSize} why={RUN_SETTING_WHY.validationSize} onChange={(validationSize) => set({ validationSize })} />
        <NumberField label="Checkpoint every (steps)" value={settings.checkpointEvery} range={R.checkpointEvery} why={RUN_SETTING_WHY.checkpointEvery} onChange={(checkpointEvery) => set({ checkpointEvery })} />
      </div>
    </fieldset>
  );
}
