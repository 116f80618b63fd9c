import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { distilledCotErrors } from '../../../fiat/prompt/distilled-cot.ts';
import type { Task } from '../../../fiat/task/task.ts';
import type { TemplateDiagnostic } from '../../../fiat/template/lint.ts';
import type { TrainingMethod, TrainingSetCounts } from '../../../fiat/training-set/build.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { budgetQuery } from './budget-query.ts';
import { methodCannotUse, methodNote, methodOption } from './method-options.ts';
import { TokenBudgetView } from './TokenBudgetView.tsx';
import { TrainingSetOptions } from './TrainingSetOptions.tsx';
import { TrlExportButton } from './TrlExportButton.tsx';
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
  const readsReasoning = methodOption(context.method).readsReasoning;
  const tauNote = methodNote(context.method, distilledCotErrors(context.instructions.tau).length === 0);

  return (
    <section className="reasoning-section" aria-labelledby="training-set-heading">
      <h3 id="training-set-heading">Training set</h3>
      <TrainingSetOptions />
      {note && readsReasoning && <p className="muted">{note}</p>}
      {tauNote && <p className="muted">{tauNote}</p>}
      {set.ok ? <Counts counts={set.counts} method={context.method} /> : <SetErrors method={context.method} errors={set.errors} />}
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
      <TrlExportButton set={set} budget={budget.data} stale={budget.isPlaceholderData || budget.isFetching} chatTemplate={applyChat} />
    </section>
  );
}

/** Why there is no training set: the method cannot use this I_τ (said as such), or I_τ's first template error. */
function SetErrors({ method, errors }: { method: TrainingMethod; errors: readonly TemplateDiagnostic[] }) {
  const cannot = methodCannotUse(method, errors);
  const first = errors.find((e) => e.code !== 'missing-reasoning') ?? (cannot ? undefined : errors[0]);
  return (
    <>
      {cannot && (
        <p className="warning-line" role="alert">
          {cannot}
        </p>
      )}
      {first && (
        <p className="warning-line" role="alert">
          I_τ has {errors.length === 1 ? 'a template error' : `${errors.length} template errors`}, so there is no training set until it is fixed. First: line {first.startLine}, column{' '}
          {first.startColumn}: {first.message}
        </p>
      )}
    </>
  );
}

function Counts({ counts, method }: { counts: TrainingSetCounts; method: TrainingMethod }) {
  const n = (x: number) => x.toLocaleString();
  const parts = [
    counts.noGold > 0 ? `${n(counts.noGold)} left out: no gold label` : null,
    methodOption(method).readsReasoning && counts.noReasoning > 0
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
