import { useQueryClient } from '@tanstack/react-query';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import { type BetaPrompt, betaTemplateErrors } from '../../../fiat/prompt/assemble.ts';
import { previewReasoning } from '../../../fiat/reasoning/preview.ts';
import type { Example, Task } from '../../../fiat/task/task.ts';
import { isProviderError } from '../../../providers/errors.ts';
import { buildProvider, reasoningCache } from '../../lib/reasoning.ts';
import { useStudio } from '../../state/store.ts';
import { BetaErrorsNotice } from '../reasoning/BetaErrorsNotice.tsx';
import { formatMs, formatUsage } from '../reasoning/format.ts';
import { ParsedAnswer } from '../reasoning/ParsedAnswer.tsx';
import { invalidateReasoning } from '../reasoning/reasoning-queries.ts';

/** A generation started from this card; `entry` once it finished (and was cached). */
type Live =
  | { status: 'streaming'; text: string }
  | { status: 'done'; text: string; entry: ReasoningCacheEntry; firstTokenMs: number | null }
  | { status: 'stopped'; text: string }
  | { status: 'failed'; text: string; message: string };

interface ReasoningPreviewProps {
  task: Task;
  example: Example;
  /** The example's I_β prompt: the messages are exactly what is sent. */
  beta: BetaPrompt;
  /** Its cached reasoning, if any. */
  cached: ReasoningCacheEntry | undefined;
}

/**
 * The large model's reasoning ŷ_β for the selected example: from the cache, or streamed in on
 * request (the rendered I_β prompt is sent), with stop, latency and token counts. The text is a
 * text node, never HTML. Mount it keyed by example and prompt: a new prompt starts afresh, and
 * unmounting stops a stream in flight.
 */
export const ReasoningPreview = memo(function ReasoningPreview({ task, example, beta, cached }: ReasoningPreviewProps) {
  const settings = useStudio((s) => s.project.reasoning.provider);
  const betaText = useStudio((s) => s.project.instructions.beta);
  const exemplarCount = useStudio((s) => s.project.exemplars.length);
  const openDialog = useStudio((s) => s.openDialog);
  const client = useQueryClient();
  const errors = useMemo(() => betaTemplateErrors(betaText, task.spec, exemplarCount), [betaText, task.spec, exemplarCount]);
  const label = useMemo(() => (settings ? buildProvider(settings).describe().label : null), [settings]);
  const [live, setLive] = useState<Live | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const generate = async (regenerate: boolean) => {
    if (!settings || errors.length > 0 || beta.rendered.hasInvalid) return;
    const controller = new AbortController();
    abort.current = controller;
    setLive({ status: 'streaming', text: '' });
    try {
      const result = await previewReasoning({
        provider: buildProvider(settings),
        cache: reasoningCache,
        messages: beta.messages,
        params: settings.params,
        signal: controller.signal,
        regenerate,
        onDelta: (piece) => setLive((l) => (l?.status === 'streaming' ? { ...l, text: l.text + piece } : l)),
      });
      setLive({ status: 'done', text: result.entry.reasoning, entry: result.entry, firstTokenMs: result.firstTokenMs });
      await invalidateReasoning(client);
    } catch (error) {
      setLive((l) => {
        const text = l?.text ?? '';
        if (controller.signal.aborted) return { status: 'stopped', text };
        const message = isProviderError(error) ? `${error.kind}: ${error.message}` : error instanceof Error ? error.message : String(error);
        return { status: 'failed', text, message };
      });
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  };

  const shown = live ?? (cached ? { status: 'cached' as const, text: cached.reasoning, entry: cached } : null);
  const streaming = live?.status === 'streaming';
  const blocked = errors.length > 0 || beta.rendered.hasInvalid;
  return (
    <article className="rendered reasoning-card" aria-label="Reasoning">
      <header className="rendered-header">
        <h3>Reasoning ŷ_β</h3>
        <p className="panel-hint">
          The large model’s reasoning for this example’s I_β prompt{label ? ` (${label})` : ''}.
        </p>
        {!settings ? (
          <p className="refusal">
            No large model is set up.{' '}
            <button type="button" onClick={() => openDialog({ kind: 'provider' })}>
              Set up a provider…
            </button>
          </p>
        ) : blocked ? (
          <BetaErrorsNotice errors={errors} />
        ) : (
          <div className="row-actions">
            {streaming ? (
              <button type="button" onClick={() => abort.current?.abort()}>
                Stop
              </button>
            ) : (
              <button type="button" onClick={() => void generate(shown !== null && shown.status !== 'stopped' && shown.status !== 'failed')}>
                {shown && shown.status !== 'stopped' && shown.status !== 'failed' ? 'Regenerate' : 'Generate reasoning'}
              </button>
            )}
          </div>
        )}
        <ReasoningStats shown={shown} />
      </header>
      {shown && shown.text !== '' && (
        <pre className="rendered-text reasoning-text" aria-label="Reasoning text" aria-busy={streaming}>
          {shown.text}
        </pre>
      )}
      {shown && (shown.status === 'done' || shown.status === 'cached') && <ParsedAnswer spec={task.spec} example={example} reasoning={shown.text} />}
    </article>
  );
});

type Shown = Live | { status: 'cached'; text: string; entry: ReasoningCacheEntry } | null;

function ReasoningStats({ shown }: { shown: Shown }) {
  if (!shown) return <p className="counts">Not generated yet: the {'{{reasoning}}'} slot of I_τ is pending.</p>;
  const characters = `${shown.text.length.toLocaleString()} characters`;
  let line: string;
  switch (shown.status) {
    case 'streaming':
      line = `Streaming… ${characters} so far`;
      break;
    case 'stopped':
      line = `Stopped after ${characters}; nothing was cached.`;
      break;
    case 'failed':
      line = `Failed after ${characters}; nothing was cached.`;
      break;
    case 'done': {
      const first = shown.firstTokenMs === null ? '' : ` · first token ${formatMs(shown.firstTokenMs)}`;
      line = `Latency ${formatMs(shown.entry.latencyMs)}${first} · ${formatUsage(shown.entry.usage)} · finish: ${shown.entry.finishReason ?? 'none'}`;
      break;
    }
    case 'cached':
      line = `From the cache (generated ${new Date(shown.entry.createdAt).toLocaleString()}) · latency ${formatMs(shown.entry.latencyMs)} · ${formatUsage(shown.entry.usage)} · finish: ${shown.entry.finishReason ?? 'none'}`;
      break;
  }
  return (
    <>
      <p className="counts" role="status" aria-label="Reasoning stats">
        {line}
      </p>
      {shown.status === 'failed' && <p role="alert">{shown.message}</p>}
    </>
  );
}
