import { useLayoutEffect, useMemo } from 'react';
import { previewExample } from '../../../fiat/template/preview.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';
import { recordPreviewCommit } from '../../testing/perf.ts';
import { useSelectedExample } from '../examples/useSelectedExample.ts';
import { RenderedPrompt } from './RenderedPrompt.tsx';
import { useReasoning, useTokenCounter } from './sources.ts';

/** Right pane: what the selected example turns into under I_β and under I_τ, side by side. */
export function PreviewPane({ task }: { task: Task }) {
  const example = useSelectedExample(task);
  const instructions = useStudio((s) => s.project.instructions);
  const exemplars = useStudio((s) => s.project.exemplars);
  const reasoning = useReasoning(task.id, example?.id ?? '');
  const tokenCounter = useTokenCounter();
  const preview = useMemo(
    () => (example ? previewExample({ spec: task.spec, example, instructions, exemplars, reasoning }) : undefined),
    [task.spec, example, instructions, exemplars, reasoning],
  );
  useLayoutEffect(() => {
    if (__E2E__ && preview) recordPreviewCommit(preview.tau.text.length + preview.beta.text.length);
  }, [preview]);

  if (!example || !preview) return <p className="empty">Select an example to preview it.</p>;
  return (
    <div className="preview-grid">
      <RenderedPrompt
        title="I_β prompt"
        description="Sent to the large model to produce reasoning ŷ_β."
        rendered={preview.beta}
        tokenCounter={tokenCounter}
      />
      <RenderedPrompt
        title="I_τ input"
        description={`The small model's input; it is tuned to answer “${preview.target ?? '?'}”.`}
        rendered={preview.tau}
        tokenCounter={tokenCounter}
      />
    </div>
  );
}
