import { useMemo } from 'react';
import type { ExampleAgreement } from '../../../fiat/reasoning/agreement.ts';
import { isFinished } from '../../../fiat/reasoning/beta-output.ts';
import type { Split, Task } from '../../../fiat/task/task.ts';
import { buildTrainingSet, evaluationMethodOf, type TrainingPromptContext, type TrainingSet } from '../../../fiat/training-set/build.ts';
import { useDebounced } from '../../lib/use-debounced.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { useTaskAgreements, useTaskReasoning } from '../reasoning/useTaskReasoning.ts';

/** Agreements before any are read: one object, so the set is not built again on every render. */
const NO_AGREEMENTS: ReadonlyMap<string, ExampleAgreement> = new Map();

/** Building waits until I_τ has stopped changing for this long (it renders I_τ for every train example). */
const SETTLE_MS = 300;

export interface TrainingSetView {
  set: TrainingSet;
  context: TrainingPromptContext;
  /** Whether the reasoning cache has been read (until then every example counts as without reasoning). */
  reasoning: 'no-provider' | 'template-errors' | 'loading' | 'ready';
}

/**
 * The task's train split (or the first `limit` examples of a split, prompts for evaluation) as the training set
 * (fiat/training-set/build.ts) under the current I_τ, the cached reasoning, the agreements, the project's
 * only-agreeing option and this tab's choices. `purpose: 'evaluation'` leaves only-agreeing out: which examples are
 * evaluated must not depend on their gold (the reasoning's agreement with it), or the metrics would be biased.
 */
export function useTrainingSet(task: Task, split: Split = 'train', limit = Infinity, purpose: 'training' | 'evaluation' = 'training'): TrainingSetView {
  const tau = useDebounced(useTaskSetup((t) => t.instructions.tau), SETTLE_MS);
  const exemplars = useTaskSetup((t) => t.exemplars);
  const onlyAgreeing = useStudio((s) => s.project.reasoning.onlyAgreeing) && purpose === 'training';
  // A distilled model is asked the answer task only: no reasoning in its input (fiat/prompt/distilled-cot.ts).
  const chosen = useTaskSetup((t) => t.tuning.trainingSet.method);
  const method = purpose === 'evaluation' ? evaluationMethodOf(chosen) : chosen;
  const withoutReasoning = useTaskSetup((t) => t.tuning.trainingSet.withoutReasoning);
  const reasoning = useTaskReasoning(task);
  const { agreements } = useTaskAgreements(task);
  const entries = reasoning.status === 'ready' ? reasoning.entries : null;
  // The split's first `limit` examples in the dataset's order: the same ones at every evaluation and run.
  const train = useMemo(() => task.examples.filter((e) => e.split === split).slice(0, limit), [task, split, limit]);
  // I_β plays no part in a training prompt: left empty, so an I_β keystroke does not build the set again.
  const context = useMemo((): TrainingPromptContext => ({ spec: task.spec, instructions: { beta: '', tau }, exemplars, method }), [task.spec, tau, exemplars, method]);
  const set = useMemo(
    () =>
      buildTrainingSet({
        ...context,
        examples: train,
        reasoningFor: (id) => {
          const entry = entries?.get(id);
          return entry && isFinished(entry) ? entry.reasoning : null;
        },
        agreements: agreements ?? NO_AGREEMENTS,
        options: { method, onlyAgreeing, withoutReasoning },
      }),
    [context, train, entries, agreements, method, onlyAgreeing, withoutReasoning],
  );
  return { set, context, reasoning: reasoning.status };
}
