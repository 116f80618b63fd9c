import type { TrainingSetChoices, TuningSettings } from '../../../fiat/project/tuning-settings.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';

/**
 * The chosen task's Tuning tab choices, saved with its setup (fiat/project/tuning-settings.ts): the training set's
 * (method, examples without reasoning, chat template) and the run's shapes (LoRA, batch, sequence length, memory
 * budget; the model panel's memory check reads them). Only-agreeing is not here: it is the project's option
 * (Reasoning tab).
 */
export function useTrainingSetChoices(): TrainingSetChoices & { set: (patch: Partial<TrainingSetChoices>) => void } {
  const choices = useTaskSetup((t) => t.tuning.trainingSet);
  const setTuning = useStudio((s) => s.setTuning);
  return { ...choices, set: (patch) => setTuning('trainingSet', patch) };
}

export type SavedShapes = TuningSettings['shapes'];

/** The run's shapes and their setter (a patch; the form checks the values against SETTING_RANGES first). */
export function useTrainingShapes(): [SavedShapes, (patch: Partial<SavedShapes>) => void] {
  const shapes = useTaskSetup((t) => t.tuning.shapes);
  const setTuning = useStudio((s) => s.setTuning);
  return [shapes, (patch) => setTuning('shapes', patch)];
}
