import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { sha256Hex } from '../../../fiat/reasoning/cache-key.ts';
import { SPLITS, type Split, type Task } from '../../../fiat/task/task.ts';
import { promptDifferences, runSeqLen } from '../../../fiat/tuning/evaluation-record.ts';
import { labelCompletionsFor } from '../../../fiat/tuning/label-completions.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { useAdapterStore } from './adapter-store.ts';
import { cancelEvaluation, startEvaluation, useEvaluateStore, type EvaluatedState } from './evaluate-launcher.ts';
import { useRunStore } from './run-store.ts';
import { runQueries } from './runs-queries.ts';
import { useTrainingSetChoices } from './tuning-store.ts';
import { useEvaluationSet } from './useEvaluationSet.ts';

type StateChoice = EvaluatedState['kind'];

/** First-N samples start at this size: a few minutes at most for QA's generation on a laptop. */
const DEFAULT_SAMPLE = 100;

/**
 * Evaluate: the predictions and metrics of a model state on a split of the task, after a run or before any. The
 * state is the shown run's adapter (its latest checkpoint), the base model (the "before tuning" number) or the
 * imported adapter; the split is any the task has, all of it or its first N. The prompts are the run's way
 * (useEvaluationSet); what cannot be evaluated is counted here. The result is saved (evaluate-launcher.ts) and shown
 * by the run views below, with its split and state named.
 */
export function EvaluateSection({ task }: { task: Task }) {
  const model = useSmallModel();
  const tokenizer = useSmallModelTokenizer();
  const shownRun = useRunStore((s) => s.run);
  const runs = useQuery(runQueries.list(task.id));
  const imported = useAdapterStore((s) => s.imported);
  const evaluating = useEvaluateStore((s) => s.evaluating);
  const { method, withoutReasoning } = useTrainingSetChoices();
  const tau = useTaskSetup((t) => t.instructions.tau);
  const tauVersion = useQuery({ queryKey: ['tau-version', tau], queryFn: () => sha256Hex(tau), staleTime: Infinity });
  const ids = { state: useId(), split: useId(), sample: useId(), count: useId() };

  const splits = SPLITS.map((split) => ({ split, size: task.examples.filter((e) => e.split === split).length })).filter((s) => s.size > 0);
  const [splitChoice, setSplit] = useState<Split>('validation');
  const split = splits.some((s) => s.split === splitChoice) ? splitChoice : (splits[0]?.split ?? 'validation');
  const splitSize = splits.find((s) => s.split === split)?.size ?? 0;
  const [whole, setWhole] = useState(false);
  const [count, setCount] = useState(DEFAULT_SAMPLE);
  const limit = whole ? splitSize : Math.min(count, splitSize);

  // The shown run, when it is a tuning run of this task (not a record of evaluations without a run).
  const run = shownRun && shownRun.taskId === task.id && !shownRun.evaluationsOnly && !shownRun.active ? (runs.data?.find((r) => r.id === shownRun.runId) ?? null) : null;
  const choices: { kind: StateChoice; label: string }[] = [
    ...(run ? [{ kind: 'run' as const, label: `The shown run's adapter (its latest checkpoint; ${run.model.label})` }] : []),
    { kind: 'base', label: 'The base model, without an adapter (before tuning)' },
    ...(imported ? [{ kind: 'imported' as const, label: `The imported adapter (${imported.from})` }] : []),
  ];
  const [stateChoice, setStateChoice] = useState<StateChoice | null>(null);
  const state = choices.find((c) => c.kind === stateChoice)?.kind ?? choices[0]!.kind;

  const set = useEvaluationSet(task, split, limit, state === 'run' && run ? (runSeqLen(run) ?? undefined) : undefined);
  const [error, setError] = useState<string | null>(null);
  const differences = state === 'run' && run && tauVersion.data ? promptDifferences(run, { method, chatTemplate: set.chatTemplate, withoutReasoning, tauVersion: tauVersion.data }) : [];
  const { noGold, noReasoning, tooLong } = set.notEvaluated;
  const left = noGold + noReasoning + tooLong;
  const busy = evaluating !== null;
  const why =
    model.info === null
      ? 'Load a small model above to evaluate.'
      : set.templateErrors
        ? 'I_τ has template errors: fix them to evaluate.'
        : !set.ready
          ? 'Building the prompts with the model’s tokenizer…'
          : set.examples.length === 0
            ? 'No example of this sample can be evaluated (see why below).'
            : state === 'run' && run && run.model.label !== model.info.label
              ? `This run tunes ${run.model.label}; load that model to evaluate it.`
              : null;

  const evaluate = async () => {
    setError(null);
    if (!model.info) return;
    const evaluated: EvaluatedState = state === 'run' && run ? { kind: 'run', runId: run.id } : state === 'imported' && imported ? { kind: 'imported', imported } : { kind: 'base' };
    const labelCompletions = await labelCompletionsFor(task.spec, set.firstPrompt, set.chatTemplate ? (tokenizer?.chat ?? null) : null);
    const result = await startEvaluation({
      taskId: task.id,
      spec: task.spec,
      model: model.info,
      state: evaluated,
      examples: set.examples,
      ...(labelCompletions ? { labelCompletions } : {}),
      sample: { split, sample: whole ? null : limit, asked: set.asked, notEvaluated: set.notEvaluated },
    });
    if (!result.ok) setError(result.message);
  };

  return (
    <section className="reasoning-section evaluate-section" aria-labelledby="evaluate-heading">
      <h3 id="evaluate-heading">Evaluate</h3>
      <p className="muted">Predictions and metrics of a model state on any split: classification by each label’s probability, QA by a greedy answer.</p>
      <div className="field">
        <label htmlFor={ids.state}>Model state</label>
        <select id={ids.state} value={state} disabled={busy} onChange={(e) => setStateChoice(e.target.value as StateChoice)}>
          {choices.map((c) => (
            <option key={c.kind} value={c.kind}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.split}>Split</label>
        <select id={ids.split} value={split} disabled={busy} onChange={(e) => setSplit(e.target.value as Split)}>
          {splits.map((s) => (
            <option key={s.split} value={s.split}>
              {s.split} ({s.size.toLocaleString()})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.sample}>Examples</label>
        <select id={ids.sample} value={whole ? 'all' : 'first'} disabled={busy} onChange={(e) => setWhole(e.target.value === 'all')}>
          <option value="first">the first N</option>
          <option value="all">all {splitSize.toLocaleString()}</option>
        </select>
        {!whole && (
          <>
            {' '}
            <label htmlFor={ids.count} className="visually-hidden">
              N
            </label>
            <input id={ids.count} type="number" min={1} max={splitSize} value={count} disabled={busy} onChange={(e) => setCount(Math.max(1, Math.floor(Number(e.target.value)) || 1))} />
          </>
        )}
      </div>
      {set.ready && left > 0 && (
        <p className="muted">
          {left} of the {set.asked} examples cannot be evaluated:{' '}
          {[noReasoning > 0 ? `${noReasoning} without a reasoning (FIAT; see the training set’s options)` : '', tooLong > 0 ? `${tooLong} too long even with no passage` : '', noGold > 0 ? `${noGold} without a gold label` : '']
            .filter(Boolean)
            .join(', ')}
          .
        </p>
      )}
      {differences.length > 0 && (
        <p className="notice-line">The prompts are built with the tab’s current choices, not quite the run’s: {differences.join('; ')}.</p>
      )}
      <div className="button-row">
        {!busy && (
          <button type="button" className="primary" disabled={why !== null} onClick={() => void evaluate()}>
            Evaluate {set.examples.length > 0 ? `${set.examples.length.toLocaleString()} examples` : ''}
          </button>
        )}
        {busy && (
          <>
            <progress max={evaluating.total} value={evaluating.done} aria-label="Evaluation progress" />
            <span role="status">
              Evaluating: {evaluating.done} of {evaluating.total}
            </span>
            <button type="button" onClick={cancelEvaluation}>
              Cancel evaluation
            </button>
          </>
        )}
      </div>
      {why && !busy && <p className="muted">{why}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
