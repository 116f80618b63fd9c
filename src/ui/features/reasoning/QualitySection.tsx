import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';
import { formatPercent } from './format.ts';
import { reasoningQueries } from './reasoning-queries.ts';
import { SCOPE_LABELS, useReasoningScope } from './scope.ts';
import { useTaskAgreements } from './useTaskReasoning.ts';

const METRIC_NAME = { accuracy: 'accuracy', 'token-f1': 'token F1' } as const;

/**
 * How good the large model's reasoning is: agreement of its parsed answers with gold over the batch's
 * examples, the ICL baseline's score those answers make, and the only-agreeing training option.
 */
export function QualitySection({ task }: { task: Task }) {
  const onlyAgreeing = useStudio((s) => s.project.reasoning.onlyAgreeing);
  const setOptions = useStudio((s) => s.setReasoningOptions);
  const { scope, examples } = useReasoningScope(task);
  const { pattern, agreements } = useTaskAgreements(task);
  // In slices (a query), as the agreements: over 100,000 examples these passes took tens of ms each.
  const options = useMemo(() => reasoningQueries.quality(agreements ? { task, examples, agreements } : null), [task, examples, agreements]);
  const figures = useQuery(options).data;
  const quality = agreements ? (figures?.quality ?? null) : null;
  const keep = agreements ? (figures?.keep ?? null) : null;

  return (
    <section className="reasoning-section" aria-labelledby="quality-heading">
      <h3 id="quality-heading">Reasoning quality on {SCOPE_LABELS[scope]}</h3>
      {!pattern.ok ? (
        <p className="muted">Fix the answer pattern above to read the reasoning’s answers.</p>
      ) : !agreements ? (
        <p className="muted">No reasoning to judge yet (set up a provider, fix I_β’s template errors, or wait for the cache).</p>
      ) : !quality ? (
        <p className="muted">Reading the reasonings’ answers…</p>
      ) : (
        <>
          <p role="group" aria-label="Agreement summary">
            Agreement with gold: {quality.summary.agrees.toLocaleString()} agree · {quality.summary.disagrees.toLocaleString()} disagree ·{' '}
            {quality.summary.unparsed.toLocaleString()} unparsed ·{' '}
            {quality.summary.truncated > 0 ? `${quality.summary.truncated.toLocaleString()} truncated (not counted) · ` : ''}
            {quality.summary.missing.toLocaleString()} without reasoning
          </p>
          <p role="group" aria-label="ICL baseline">
            ICL baseline (θ_β prompted with I_β, its parsed answers as predictions):{' '}
            {quality.icl.score === null
              ? 'no score yet: no example here has reasoning'
              : `${METRIC_NAME[quality.icl.metric]} ${formatPercent(quality.icl.score)} over the ${quality.icl.covered.toLocaleString()} examples with reasoning`}{' '}
            (coverage {quality.icl.covered.toLocaleString()} of {quality.icl.total.toLocaleString()}
            {quality.icl.total > 0 ? `, ${formatPercent(quality.icl.covered / quality.icl.total)}` : ''}).
          </p>
        </>
      )}
      <label className="checkbox-line">
        <input type="checkbox" checked={onlyAgreeing} onChange={(e) => setOptions({ onlyAgreeing: e.target.checked })} />
        Train only on examples whose reasoning agrees with gold
      </label>
      <p className="panel-hint" role="group" aria-label="Training filter effect">
        Off by default, as in the paper: FIAT tunes on every example and lets the small model learn how far to trust the reasoning.{' '}
        {keep
          ? `With it on, tuning would keep ${keep.kept.toLocaleString()} of ${keep.total.toLocaleString()} train examples${keep.missing > 0 ? ` (${keep.missing.toLocaleString()} have no reasoning yet)` : ''}.`
          : ''}{' '}
        Saved with the project; the Tuning tab’s training set applies it (examples without reasoning follow the choice made there).
      </p>
    </section>
  );
}
