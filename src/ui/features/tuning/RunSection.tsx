import { useQuery } from '@tanstack/react-query';
import { experimentTagOf } from '../../lib/experiment-run-tag.ts';
import { useMemo, useState } from 'react';
import type { TrainExample } from '../../../engine/engine.ts';
import type { StoredRun } from '../../../fiat/storage/tuning-repository.ts';
import type { RunPlan } from '../../../fiat/tuning/run-controller.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { labelCompletionsFor } from '../../../fiat/tuning/label-completions.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { budgetQuery } from './budget-query.ts';
import { withPlanOverride } from './plan-override.ts';
import { cancelRun, pauseRun, startRun } from './run-launcher.ts';
import { runQueries } from './runs-queries.ts';
import { useRunSettings } from './run-settings-store.ts';
import { runPlanOf } from './run-plan.ts';
import { useRunStore } from './run-store.ts';
import { RunProgress } from './RunProgress.tsx';
import { RunSettingsForm } from './RunSettingsForm.tsx';
import { useTrainingSetChoices, useTrainingShapes } from './tuning-store.ts';
import { useAdapterStore } from './adapter-store.ts';
import { useEvaluationSet } from './useEvaluationSet.ts';
import { useTrainingSet } from './useTrainingSet.ts';
import { chooseTrainBackend } from './train-backend.ts';

/** Stored runs that stopped before their end and can go on from their last checkpoint. */
const RESUMABLE = new Set<StoredRun['status']>(['preparing', 'running', 'evaluating', 'paused', 'device-lost']);

/**
 * The run: its settings, Train / Pause / Resume / Cancel, progress and curves. Training takes the training set as the
 * Training set section counts it (the same budget query: the passages cut to the sequence length, the chat template
 * applied), evaluation the first validation examples built the same way (useEvaluationSet), so what is trained and
 * evaluated is what the tab shows.
 */
export function RunSection({ task }: { task: Task }) {
  const model = useSmallModel();
  const tokenizer = useSmallModelTokenizer();
  const [shapes] = useTrainingShapes();
  const { chatTemplate, method, withoutReasoning } = useTrainingSetChoices();
  const settings = useRunSettings();
  const tau = useTaskSetup((t) => t.instructions.tau);
  const run = useRunStore((s) => s.run);
  const train = useTrainingSet(task);
  const validation = useEvaluationSet(task, 'validation', settings.validationSize);
  const validationExamples = validation.examples;
  const applyChat = chatTemplate && tokenizer?.chat != null;
  const trainBudget = useQuery(budgetQuery(train.set.ok && tokenizer ? { examples: train.set.examples, context: train.context, tokenizer, chatTemplate: applyChat, seqLen: shapes.seqLen } : null));
  const runs = useQuery(runQueries.list(task.id));
  const backend = useQuery({ queryKey: ['tuning', 'train-backend'], queryFn: chooseTrainBackend, staleTime: Infinity });
  const [error, setError] = useState<string | null>(null);
  const imported = useAdapterStore((s) => s.imported)?.adapter ?? null;

  const ready = model.info !== null && tokenizer !== null && !trainBudget.isPlaceholderData && validation.ready;
  const pairs = useMemo(() => (ready ? (trainBudget.data?.report.examples.flatMap((e) => (e.pair ? [e.pair] : [])) ?? []) : []), [ready, trainBudget.data]);
  const active = run?.active === true && run.taskId === task.id;
  // A run an experiment's queue started is resumed by its queue (its own training set), not here.
  const resumable = runs.data?.find((r) => RESUMABLE.has(r.status) && r.id !== (active ? run.runId : null) && experimentTagOf(r.settings) === null);
  const why =
    model.info === null
      ? 'Load a small model above to train.'
      : !train.set.ok
        ? 'I_τ cannot be used for this method (the Training set section says why): fix it to train.'
        : !ready || trainBudget.isFetching
          ? 'Counting the training set with the model’s tokenizer…'
          : pairs.length === 0
            ? 'The training set is empty (see the counts above).'
            : validationExamples.length === 0
              ? 'No validation example can be evaluated (their reasoning is missing, or they do not fit).'
              : null;

  const start = async (resume?: StoredRun) => {
    setError(null);
    if (!model.info || !tokenizer) return;
    const examples: TrainExample[] = pairs.map((p) => ({ prompt: p.prompt, completion: p.completion }));
    const firstPrompt = train.set.ok ? train.set.examples[0]?.prompt : undefined;
    const labelCompletions = await labelCompletionsFor(task.spec, firstPrompt, applyChat ? tokenizer.chat : null);
    const where = backend.data ?? (await chooseTrainBackend());
    const plan: RunPlan = resume
      ? (resume.settings['plan'] as RunPlan)
      : withPlanOverride(runPlanOf(shapes, settings, examples.length, where));
    // A new run may start from the imported adapter (continue tuning it); the stored plan leaves its bytes out.
    const startFrom = !resume && imported ? { ...plan, setup: { ...plan.setup, adapter: imported } } : plan;
    const result = await startRun({
      taskId: task.id,
      spec: task.spec,
      model: model.info,
      plan: startFrom,
      examples,
      validation: validationExamples,
      ...(labelCompletions ? { labelCompletions } : {}),
      tau,
      settings: { plan, startedFromImportedAdapter: startFrom !== plan, ep: plan.setup.ep, chatTemplate: applyChat, method, withoutReasoning, validationSize: validationExamples.length },
      ...(resume ? { resume } : {}),
    });
    if (!result.ok) setError(result.message);
  };

  return (
    <section className="reasoning-section" aria-labelledby="run-heading">
      <h3 id="run-heading">Run</h3>
      <RunSettingsForm disabled={active} trainCount={pairs.length} />
      {!active && resumable && (
        <p className="notice-line">
          A run of {resumable.model.label} stopped at step {resumable.step} of {resumable.totalSteps} ({resumable.status}).{' '}
          <button type="button" disabled={why !== null} onClick={() => void start(resumable)}>
            Resume it
          </button>
        </p>
      )}
      <div className="button-row">
        {!active && (
          <button type="button" className="primary" disabled={why !== null} onClick={() => void start()}>
            Train {pairs.length > 0 ? `on ${pairs.length.toLocaleString()} examples` : ''}
          </button>
        )}
        {active && (
          <>
            <button type="button" onClick={pauseRun}>
              Pause
            </button>
            <button type="button" onClick={cancelRun}>
              Cancel
            </button>
          </>
        )}
      </div>
      {why && !active && <p className="muted">{why}</p>}
      {backend.data?.note && !active && <p className="notice-line">{backend.data.note}</p>}
      {imported && !active && <p className="muted">A new run starts from the imported adapter (Adapter section below), with fresh optimizer state.</p>}
      {!why && !active && (
        <p className="muted">
          Evaluates on {validationExamples.length} validation example{validationExamples.length === 1 ? '' : 's'} at step 0, every {settings.evalEvery || '…'} steps and at the end
          {validationExamples.length < settings.validationSize ? ' (the others have no reasoning or do not fit)' : ''}.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {run && run.taskId === task.id && <RunProgress run={run} />}
    </section>
  );
}
