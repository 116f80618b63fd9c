import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { PlanSummary } from '../../../fiat/reasoning/plan-summary.ts';
import type { ReasoningScope } from '../../../fiat/project/reasoning-settings.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { isInBrowserPreset } from '../../../providers/in-browser-model.ts';
import { useStudio } from '../../state/store.ts';
import { cancelBatch, startBatch } from './batch-controller.ts';
import { useBatchStore } from './batch-store.ts';
import { BatchProgressView } from './BatchProgressView.tsx';
import { formatCost } from './format.ts';
import { reasoningQueries } from './reasoning-queries.ts';
import { useReasoningScope } from './scope.ts';
import { useTaskReasoning } from './useTaskReasoning.ts';

/**
 * Generate the reasoning of many examples: choose which (a split, all, or the filtered ones) and how
 * many requests at once, see what it would cost before starting, then follow it, cancel, resume.
 */
export function BatchSection({ task }: { task: Task }) {
  const settings = useStudio((s) => s.project.reasoning.provider);
  const concurrency = useStudio((s) => s.project.reasoning.concurrency);
  const setOptions = useStudio((s) => s.setReasoningOptions);
  const batch = useBatchStore((s) => s.batch);
  const client = useQueryClient();
  const { scope, examples, choices } = useReasoningScope(task);
  const reasoning = useTaskReasoning(task);
  // Counted in slices (a query): over 100,000 examples one pass held the page for hundreds of ms.
  const planOptions = useMemo(() => {
    if (reasoning.status !== 'ready' || !settings) return reasoningQueries.plan(null);
    return reasoningQueries.plan({
      exampleIds: examples,
      keys: reasoning.keys.keys,
      entries: reasoning.entries,
      promptTokens: reasoning.keys.promptTokens,
      maxTokens: settings.params.maxTokens,
      price: settings.pricePerMillion,
    });
  }, [reasoning, settings, examples]);
  const planQuery = useQuery(planOptions);
  const plan = reasoning.status === 'ready' && settings ? (planQuery.data ?? null) : null;

  const active = batch !== null && batch.phase !== 'finished';
  const unfinished = batch?.phase === 'finished' && batch.taskId === task.id && batch.report !== null && batch.report.status !== 'completed';
  const scopeLabel = `${choices.find((c) => c.scope === scope)?.label ?? scope} of “${task.name}”`;
  const canStart = settings !== null && reasoning.status === 'ready' && examples.length > 0 && !active;

  return (
    <section className="reasoning-section" aria-labelledby="batch-heading">
      <h3 id="batch-heading">Generate reasoning for many examples</h3>
      <div className="inline-form">
        <label>
          Examples
          <select value={scope} disabled={active} onChange={(e) => setOptions({ scope: e.target.value as ReasoningScope })}>
            {choices.map((c) => (
              <option key={c.scope} value={c.scope}>
                {c.label} ({c.count.toLocaleString()})
              </option>
            ))}
          </select>
        </label>
        <label>
          Requests at once
          <input
            type="number"
            min={1}
            max={32}
            value={concurrency}
            disabled={active}
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              if (Number.isFinite(n) && n >= 1 && n <= 32) setOptions({ concurrency: n });
            }}
          />
        </label>
      </div>
      <p className="plan" role="status" aria-label="Batch plan">
        {reasoning.status === 'no-provider'
          ? 'Set up a provider to generate reasoning.'
          : reasoning.status === 'template-errors'
            ? 'I_β has template errors: nothing is sent until they are fixed (see the preview or the I_β editor).'
            : !plan
              ? 'Checking the cache…'
              : planText(plan, settings !== null && isInBrowserPreset(settings.presetId))}
      </p>
      <div className="row-actions">
        {active ? (
          <button type="button" disabled={batch.phase === 'cancelling'} onClick={cancelBatch}>
            {batch.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button type="button" disabled={!canStart} onClick={() => void startBatch({ task, examples, scopeLabel }, client)}>
            {unfinished ? 'Resume' : 'Generate reasoning'} for {examples.length.toLocaleString()} examples
          </button>
        )}
      </div>
      {/* A running batch shows wherever the user is; a finished one only with its task. */}
      {batch && (active || batch.taskId === task.id) && <BatchProgressView batch={batch} />}
    </section>
  );
}

/** `local`: the in-browser provider, which has no prices to enter. */
function planText(plan: PlanSummary, local: boolean): string {
  const parts = [`${plan.cached.toLocaleString()} cached`, `${plan.toGenerate.toLocaleString()} to generate`];
  if (plan.truncated > 0) parts.push(`${plan.truncated.toLocaleString()} truncated (stopped at max tokens or empty: generated again)`);
  if (plan.shared > 0) parts.push(`${plan.shared.toLocaleString()} share a prompt with another example`);
  if (plan.toGenerate > 0) {
    const each = plan.fromCache ? `about ${plan.completionTokensEach} completion tokens each, as cached ones` : `at most ${plan.completionTokensEach} completion tokens each`;
    const tokens = `~${plan.usage.promptTokens.toLocaleString()} prompt tokens, ${each}`;
    const noCost = local ? 'runs in this browser' : 'enter prices in the provider settings for a cost estimate';
    parts.push(plan.cost === null ? `${tokens} (${noCost})` : `est. cost ${formatCost(plan.cost)} (${tokens})`);
  }
  return parts.join(' / ');
}
