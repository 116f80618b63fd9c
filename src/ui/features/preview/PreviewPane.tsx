import { useLayoutEffect, useMemo } from 'react';
import { parseTemplateCached } from '../../../fiat/template/parse.ts';
import { templateValues } from '../../../fiat/template/preview.ts';
import { renderTemplate } from '../../../fiat/template/render.ts';
import { targetOf, type Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';
import { recordPreviewCommit } from '../../testing/perf.ts';
import { useSelectedExample } from '../examples/useSelectedExample.ts';
import { RenderedPrompt } from './RenderedPrompt.tsx';
import { useReasoning, useTokenCounter } from './sources.ts';

/** Right pane: what the selected example turns into under I_β and under I_τ, side by side. */
export function PreviewPane({ task }: { task: Task }) {
  const example = useSelectedExample(task);
  const betaText = useStudio((s) => s.project.instructions.beta);
  const tauText = useStudio((s) => s.project.instructions.tau);
  const exemplars = useStudio((s) => s.project.exemplars);
  const reasoning = useReasoning(task.id, example?.id ?? '');
  const tokenCounter = useTokenCounter();
  const { spec } = task;
  // Memoised per instruction: a keystroke in I_τ re-renders I_τ only (the 16 ms budget, bench/preview.ts).
  const values = useMemo(() => (example ? templateValues(spec, example, exemplars, reasoning) : undefined), [spec, example, exemplars, reasoning]);
  const beta = useMemo(() => values && renderTemplate(parseTemplateCached(betaText), values, 'beta', spec.kind), [values, betaText, spec.kind]);
  const tau = useMemo(() => values && renderTemplate(parseTemplateCached(tauText), values, 'tau', spec.kind), [values, tauText, spec.kind]);
  const target = useMemo(() => example && targetOf(spec, example), [spec, example]);
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
        tokenCounter={tokenCounter}
      />
      <RenderedPrompt
        title="I_τ input"
        description={`The small model's input; it is tuned to answer “${target ?? '?'}”.`}
        rendered={tau}
        tokenCounter={tokenCounter}
      />
    </div>
  );
}
