import { useQueryClient } from '@tanstack/react-query';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { betaParts, unfinishedReason } from '../../../fiat/reasoning/beta-output.ts';
import type { ReasoningCacheEntry } from '../../../fiat/reasoning/cache.ts';
import { type BetaPrompt, betaTemplateErrors } from '../../../fiat/prompt/assemble.ts';
import { previewReasoning } from '../../../fiat/reasoning/preview.ts';
import type { Example, Task } from '../../../fiat/task/task.ts';
import { isProviderError } from '../../../providers/errors.ts';
import { isInBrowserPreset } from '../../../providers/in-browser-model.ts';
import type { ReplyPart } from '../../../providers/types.ts';
import { buildProvider, reasoningCache } from '../../lib/reasoning.ts';
import { useReasoningModelState } from '../../lib/reasoning-engine.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { BetaErrorsNotice } from '../reasoning/BetaErrorsNotice.tsx';
import { formatMs, formatUsage, modelLoadingLine } from '../reasoning/format.ts';
import { ParsedAnswer } from '../reasoning/ParsedAnswer.tsx';
import { invalidateReasoning } from '../reasoning/reasoning-queries.ts';

/**
 * The two parts of a reply as shown: `thought` is a reasoning model's separate reasoning ('' for a
 * model that reasons in its content), `answer` its content (the final answer, or the whole reply).
 */
interface Parts {
  thought: string;
  answer: string;
}

const NO_PARTS: Parts = { thought: '', answer: '' };

/** A generation started from this card; `entry` once it ended (and was cached, finished or not). */
type Live =
  | { status: 'streaming'; parts: Parts }
  | { status: 'done'; parts: Parts; entry: ReasoningCacheEntry; firstTokenMs: number | null }
  | { status: 'stopped'; parts: Parts }
  | { status: 'failed'; parts: Parts; message: string };

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
 * request (the rendered I_β prompt is sent), with stop, latency and token counts. A reasoning
 * model's reasoning and final answer stream in as two parts; a generation cut at max tokens or
 * empty is shown as truncated, with its finish reason. The text is a text node, never HTML. Mount it keyed by example and prompt: a new prompt starts afresh, and
 * unmounting stops a stream in flight.
 */
export const ReasoningPreview = memo(function ReasoningPreview({ task, example, beta, cached }: ReasoningPreviewProps) {
  const settings = useStudio((s) => s.project.reasoning.provider);
  const betaText = useTaskSetup((t) => t.instructions.beta);
  const exemplarCount = useTaskSetup((t) => t.exemplars.length);
  const openDialog = useStudio((s) => s.openDialog);
  const client = useQueryClient();
  const errors = useMemo(() => betaTemplateErrors(betaText, task.spec, exemplarCount), [betaText, task.spec, exemplarCount]);
  const label = useMemo(() => (settings ? buildProvider(settings).describe().label : null), [settings]);
  const modelState = useReasoningModelState();
  const [live, setLive] = useState<Live | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const generate = async (regenerate: boolean) => {
    if (!settings || errors.length > 0 || beta.rendered.hasInvalid) return;
    const controller = new AbortController();
    abort.current = controller;
    setLive({ status: 'streaming', parts: NO_PARTS });
    try {
      const result = await previewReasoning({
        provider: buildProvider(settings),
        cache: reasoningCache,
        messages: beta.messages,
        params: settings.params,
        signal: controller.signal,
        regenerate,
        onDelta: (part, piece) => setLive((l) => (l?.status === 'streaming' ? { ...l, parts: appendPart(l.parts, part, piece) } : l)),
      });
      setLive({ status: 'done', parts: betaParts(result.entry), entry: result.entry, firstTokenMs: result.firstTokenMs });
      await invalidateReasoning(client);
    } catch (error) {
      setLive((l) => {
        const parts = l?.parts ?? NO_PARTS;
        if (controller.signal.aborted) return { status: 'stopped', parts };
        const message = isProviderError(error) ? `${error.kind}: ${error.message}` : error instanceof Error ? error.message : String(error);
        return { status: 'failed', parts, message };
      });
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  };

  const shown: Shown = live ?? (cached ? { status: 'cached', parts: betaParts(cached), entry: cached } : null);
  const streaming = live?.status === 'streaming';
  const blocked = errors.length > 0 || beta.rendered.hasInvalid;
  // Regenerate replaces a finished reasoning; anything else (none, stopped, failed, truncated) is generated anew.
  const finished = shown !== null && 'entry' in shown && unfinishedReason(shown.entry) === null;
  // The in-browser model loads on its first request: until it has, the status line shows the load, not the stream.
  const loading = streaming && settings !== null && isInBrowserPreset(settings.presetId) && modelState.status === 'loading' ? modelLoadingLine(modelState) : null;
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
              <button type="button" onClick={() => void generate(finished)}>
                {finished ? 'Regenerate' : 'Generate reasoning'}
              </button>
            )}
          </div>
        )}
        <ReasoningStats shown={shown} loading={loading} />
      </header>
      {shown && <ReplyText parts={shown.parts} streaming={streaming} />}
      {finished && <ParsedAnswer spec={task.spec} example={example} reasoning={shown.entry} />}
    </article>
  );
});

type Shown = Live | { status: 'cached'; parts: Parts; entry: ReasoningCacheEntry } | null;

function appendPart(parts: Parts, part: ReplyPart, piece: string): Parts {
  return part === 'reasoning' ? { ...parts, thought: parts.thought + piece } : { ...parts, answer: parts.answer + piece };
}

/**
 * A reply as text: one block for a model that reasons in its content; a reasoning model's
 * reasoning and final answer as two, each labelled.
 */
function ReplyText({ parts, streaming }: { parts: Parts; streaming: boolean }) {
  if (parts.thought === '') {
    return parts.answer === '' ? null : (
      <pre className="rendered-text reasoning-text" dir="auto" role="group" aria-label="Reasoning text" aria-busy={streaming}>
        {parts.answer}
      </pre>
    );
  }
  return (
    <>
      <h4 className="reply-part">Reasoning</h4>
      <pre className="rendered-text reasoning-text" dir="auto" role="group" aria-label="Reasoning text" aria-busy={streaming}>
        {parts.thought}
      </pre>
      <h4 className="reply-part">Final answer</h4>
      <pre className="rendered-text reasoning-text" dir="auto" role="group" aria-label="Final answer text" aria-busy={streaming}>
        {parts.answer}
      </pre>
    </>
  );
}

/** Why a kept generation is not used as ŷ_β, and what redoes it. */
function TruncatedNotice({ entry }: { entry: ReasoningCacheEntry }) {
  const reason = unfinishedReason(entry);
  if (reason === null) return null;
  const text =
    reason === 'length'
      ? `Truncated (length): the model stopped at max tokens (${entry.params.maxTokens.toLocaleString()}). The partial text is kept but not used as ŷ_β: raise max tokens in the provider settings, or generate again.`
      : `Truncated (empty, finish: ${entry.finishReason ?? 'none'}): the model returned no text. Nothing is used as ŷ_β: generate again.`;
  return (
    <p className="refusal" role="status" aria-label="Truncated">
      {text}
    </p>
  );
}

/** `loading`: the in-browser model's load, shown instead of the stream's count while it lasts. */
function ReasoningStats({ shown, loading }: { shown: Shown; loading: string | null }) {
  if (!shown) return <p className="counts">Not generated yet: the {'{{reasoning}}'} slot of I_τ is pending.</p>;
  const characters = `${(shown.parts.thought.length + shown.parts.answer.length).toLocaleString()} characters`;
  let line: string;
  switch (shown.status) {
    case 'streaming':
      line = loading ?? `Streaming… ${characters} so far`;
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
      {(shown.status === 'done' || shown.status === 'cached') && <TruncatedNotice entry={shown.entry} />}
    </>
  );
}
