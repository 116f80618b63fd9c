import { useLayoutEffect, useMemo } from 'react';
import { assembleBeta, assembleTau, exampleValues } from '../../../fiat/prompt/assemble.ts';
import { isFinished } from '../../../fiat/reasoning/beta-output.ts';
import { targetOf, type Task } from '../../../fiat/task/task.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { recordPreviewCommit } from '../../testing/perf.ts';
import { useSelectedExample } from '../examples/useSelectedExample.ts';
import { ReasoningPreview } from './ReasoningPreview.tsx';
import { RenderedPrompt } from './RenderedPrompt.tsx';
import { useCachedReasoning, useTokenCounter, useTokenLabel } from './sources.ts';

/**
 * Right pane: what the selected example turns into: its I_β prompt, the large model's reasoning for
 * that prompt, and its I_τ input, whose {{reasoning}} is filled from the cache once it exists.
 */
export function PreviewPane({ task }: { task: Task }) {
  const example = useSelectedExample(task);
  const betaText = useTaskSetup((t) => t.instructions.beta);
  const tauText = useTaskSetup((t) => t.instructions.tau);
  const exemplars = useTaskSetup((t) => t.exemplars);
  const tokenCounter = useTokenCounter();
  const { spec } = task;
  // The halves of the one assembly (fiat/prompt/assemble.ts), memoised per instruction: a keystroke in
  // I_τ re-renders I_τ only (the 16 ms budget, bench/preview.ts). I_β never holds {{reasoning}}, so its
  // prompt (and the cache lookup) does not depend on it.
  const values = useMemo(() => (example ? exampleValues(spec, example, exemplars) : undefined), [spec, example, exemplars]);
  const betaPrompt = useMemo(() => values && assembleBeta(spec, betaText, values), [values, betaText, spec]);
  const beta = betaPrompt?.rendered;
  const cached = useCachedReasoning(betaPrompt);
  // Only a finished reasoning fills {{reasoning}}: one cut at max tokens or empty leaves the slot pending.
  const reasoning = cached && isFinished(cached) ? cached.reasoning : undefined;
  const tau = useMemo(() => values && assembleTau(spec, tauText, values, reasoning), [values, tauText, spec, reasoning]);
  const target = useMemo(() => example && targetOf(spec, example), [spec, example]);
  const betaTokens = useTokenLabel(tokenCounter, beta?.text);
  const tauTokens = useTokenLabel(tokenCounter, tau?.text);
  useLayoutEffect(() => {
    if (__E2E__ && tau && beta) recordPreviewCommit();
  }, [tau, beta]);

  if (!example || !beta || !tau) return <p className="empty">Select an example to preview it.</p>;
  return (
    <div className="preview-grid">
      <RenderedPrompt
        title="I_β prompt"
        description="Sent to the large model to produce reasoning ŷ_β."
        rendered={beta}
        tokens={betaTokens}
      />
      <ReasoningPreview key={`${example.id}\u0000${beta.text}`} task={task} example={example} beta={betaPrompt} cached={cached} />
      <RenderedPrompt
        title="I_τ input"
        description={`The small model's input; it is tuned to answer “${target ?? '?'}”.`}
        rendered={tau}
        tokens={tauTokens}
      />
    </div>
  );
}
