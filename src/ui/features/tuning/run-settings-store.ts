import type { RunSettings, SettingRange } from '../../../fiat/project/tuning-settings.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';

/** One line each on why the default is what it is, shown beside the field. */
export const RUN_SETTING_WHY: Record<keyof RunSettings, string> = {
  length: 'Steps fix the run’s cost whatever the data; epochs make it grow with the training set.',
  steps: 'Optimizer steps; each takes the next batch of a seeded shuffle, a new shuffle per epoch.',
  epochs: 'Passes over the training set (3 is a common choice for a small set); the last may be partial.',
  lr: "2e-4 is PEFT's usual LoRA rate; much higher diverges, much lower barely moves in a short run.",
  warmupSteps: 'The rate climbs from 0 over these steps, so the first updates of a fresh adapter stay small.',
  decay: 'After warm-up the rate falls to 0 at the last step (linear or cosine), as transformers schedules it.',
  seed: 'Fixes the data order and the LoRA init: the same seed and settings give the same run.',
  evalEvery: 'Predictions on the validation sample every N steps (and at step 0 and the end) draw the metric curve.',
  checkpointEvery: 'Adapter and optimizer state saved every N steps (and on pause), to resume after a reload.',
  validationSize: 'Validation examples evaluated each time: more is steadier, each evaluation takes longer.',
};

/**
 * The chosen task's run settings (saved with its setup; the shapes are useTrainingShapes') and their setter. Each run
 * stores the settings it was made with.
 */
export function useRunSettings(): RunSettings & { set: (patch: Partial<RunSettings>) => void } {
  const settings = useTaskSetup((t) => t.tuning.run);
  const setTuning = useStudio((s) => s.setTuning);
  return { ...settings, set: (patch) => setTuning('run', patch) };
}

/** The run's optimizer steps: as given, or enough batches for the epochs over `examples` training examples (at least 1). */
export function runSteps(settings: Pick<RunSettings, 'length' | 'steps' | 'epochs'>, examples: number, batchSize: number): number {
  if (settings.length === 'steps') return settings.steps;
  return Math.max(1, Math.ceil((settings.epochs * examples) / batchSize));
}

/** A number typed into a settings field: the value, or what is wrong with it (shown at the field; the last good value stays). */
export function parseSettingNumber(text: string, min: number, max?: number, integer = false): { ok: true; value: number } | { ok: false; message: string } {
  const value = Number(text);
  const range = max === undefined ? `at least ${min}` : `between ${min} and ${max}`;
  const what = integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(value)) return { ok: false, message: `Enter ${what} ${range}.` };
  if (value < min || (max !== undefined && value > max)) return { ok: false, message: `Must be ${range}; the last valid value is kept.` };
  if (integer && !Number.isInteger(value)) return { ok: false, message: `Must be a whole number; the last valid value is kept.` };
  return { ok: true, value };
}

/** parseSettingNumber with a setting's range (fiat/project/tuning-settings.ts SETTING_RANGES), and a tighter max where the form has one. */
export const parseInRange = (text: string, range: SettingRange, max = range.max): ReturnType<typeof parseSettingNumber> => parseSettingNumber(text, range.min, max, range.integer);
