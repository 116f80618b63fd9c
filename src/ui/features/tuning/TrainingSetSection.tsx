import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { SEQUENCE_LENGTHS } from '../../../fiat/project/tuning-settings.ts';
import type { Task } from '../../../fiat/task/task.ts';
import type { TrainingMethod, TrainingSetCounts, WithoutReasoning } from '../../../fiat/training-set/build.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { budgetQuery } from './budget-query.ts';
import { TokenBudgetView } from './TokenBudgetView.tsx';
import { useTrainingSetChoices, useTrainingShapes } from './tuning-store.ts';
import { useTrainingSet } from './useTrainingSet.ts';

const REASONING_NOTE = {
  'no-provider': 'No large model is set up (Reasoning tab): no example has reasoning.',
  'template-errors': 'I_β has template errors: no reasoning is read until they are fixed.',
  loading: 'Reading the reasoning cache…',
  ready: null,
} as const;

/**
 * The training set of the task's train split: what goes in (method, examples without reasoning, only-agreeing,
 * chat template, sequence length), how many examples are used and why the others are not, and its token budget.
 */
export function TrainingSetSection({ task }: { task: Task }) {
  const { set, context, reasoning } = useTrainingSet(task);
  const tokenizer = useSmallModelTokenizer();
  const chatTemplate = useTaskSetup((t) => t.tuning.trainingSet.chatTemplate);
  const seqLen = useTaskSetup((t) => t.tuning.shapes.seqLen);
  const applyChat = chatTemplate && tokenizer?.chat != null;
  const examples = set.ok ? set.examples : null;
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const options = useMemo(
    () =>
      budgetQuery(
        examples ? { examples, context, tokenizer, chatTemplate: applyChat, seqLen, onProgress: (done, total) => setProgress({ done, total }) } : null,
      ),
    [examples, context, tokenizer, applyChat, seqLen],
  );
  const budget = useQuery(options);
  const counting = budget.isFetching && progress ? `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}` : null;
  const note = REASONING_NOTE[reasoning];

  return (
    <section className="reasoning-section" aria-labelledby="training-set-heading">
      <h3 id="training-set-heading">Training set</h3>
      <TrainingSetOptions />
      {note && context.method === 'fiat' && <p className="muted">{note}</p>}
      {set.ok ? (
        <Counts counts={set.counts} method={context.method} />
      ) : (
        <p className="warning-line" role="alert">
          I_τ has {set.errors.length === 1 ? 'a template error' : `${set.errors.length} template errors`}, so there is no training set until it is
          fixed. First: line {set.errors[0]?.startLine}, column {set.errors[0]?.startColumn}: {set.errors[0]?.message}
        </p>
      )}
      {set.ok &&
        (budget.data ? (
          <TokenBudgetView report={budget.data.report} kind={task.spec.kind} tokenizerName={budget.data.tokenizerName} stale={budget.isPlaceholderData || budget.isFetching} counting={counting} />
        ) : budget.isError ? (
          <p className="field-error">The token budget could not be counted: {budget.error.message}</p>
        ) : (
          <p className="muted" role="status">
            Counting {tokenizer ? 'tokens' : 'characters'} of {set.counts.used.toLocaleString()} examples…{counting ? ` ${counting}` : ''}
          </p>
        ))}
    </section>
  );
}

function TrainingSetOptions() {
  const tokenizer = useSmallModelTokenizer();
  const { method, withoutReasoning, chatTemplate, set } = useTrainingSetChoices();
  const [{ seqLen }, setShapes] = useTrainingShapes();
  const onlyAgreeing = useStudio((s) => s.project.reasoning.onlyAgreeing);
  const setReasoningOptions = useStudio((s) => s.setReasoningOptions);
  const fiat = method === 'fiat';
  return (
    <div className="training-options">
      <label className="field">
        Method
        <select value={method} onChange={(e) => set({ method: e.target.value === 'fine-tune' ? 'fine-tune' : 'fiat' })}>
          <option value="fiat">FIAT: I_τ with the example and its reasoning</option>
          <option value="fine-tune">Plain fine-tuning: the bare question and passage, no instruction, no reasoning</option>
        </select>
      </label>
      <fieldset className="radio-group" disabled={!fiat}>
        <legend>Examples without reasoning</legend>
        {(
          [
            ['leave-out', 'Leave them out'],
            ['train-without', 'Train them with an empty {{reasoning}}'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="checkbox-line">
            <input type="radio" name="without-reasoning" value={value} checked={withoutReasoning === value} onChange={() => set({ withoutReasoning: value satisfies WithoutReasoning })} />
            {label}
          </label>
        ))}
      </fieldset>
      <label className="checkbox-line">
        <input type="checkbox" checked={onlyAgreeing} disabled={!fiat} onChange={(e) => setReasoningOptions({ onlyAgreeing: e.target.checked })} />
        Only examples whose reasoning agrees with gold (the project’s option, also on the Reasoning tab)
      </label>
      <label className="checkbox-line">
        <input type="checkbox" checked={chatTemplate} disabled={!tokenizer?.chat} onChange={(e) => set({ chatTemplate: e.target.checked })} />
        Apply the model’s chat template (the prompt as a user turn, the answer as the assistant’s)
        {!tokenizer ? ' — load a small model to use it' : !tokenizer.chat ? ` — ${tokenizer.name} has none` : ''}
      </label>
      <label className="field">
        Sequence length (tokens)
        <select value={seqLen} onChange={(e) => setShapes({ seqLen: SEQUENCE_LENGTHS.find((n) => n === Number(e.target.value)) ?? seqLen })}>
          {SEQUENCE_LENGTHS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <p className="panel-hint">These choices are saved with the project, for this task. The prompt is the I_τ input the preview shows (FIAT) or the bare input (fine-tuning); the completion is the gold answer, and the loss is on it only.</p>
    </div>
  );
}

function Counts({ counts, method }: { counts: TrainingSetCounts; method: TrainingMethod }) {
  const n = (x: number) => x.toLocaleString();
  const parts = [
    counts.noGold > 0 ? `${n(counts.noGold)} left out: no gold label` : null,
    method === 'fiat' && counts.noReasoning > 0
      ? counts.trainedWithoutReasoning > 0
        ? `${n(counts.noReasoning)} without reasoning, trained with an empty one`
        : `${n(counts.noReasoning)} left out: no reasoning`
      : null,
    counts.notAgreeing > 0 ? `${n(counts.notAgreeing)} left out: the reasoning does not agree with gold` : null,
  ].filter((p) => p !== null);
  return (
    <p role="group" aria-label="Training set counts">
      <strong>
        {n(counts.used)} of {n(counts.total)}
      </strong>{' '}
      train examples used{parts.length > 0 ? ` · ${parts.join(' · ')}` : ''}.
    </p>
  );
}
