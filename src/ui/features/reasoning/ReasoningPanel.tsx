import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { isInBrowserPreset, parseInBrowserModel } from '../../../providers/in-browser-model.ts';
import { buildProvider, secretStore } from '../../lib/reasoning.ts';
import { useStudio } from '../../state/store.ts';
import { AnswerPatternField } from './AnswerPatternField.tsx';
import { AnswerSynonymsField } from './AnswerSynonymsField.tsx';
import { BatchSection } from './BatchSection.tsx';
import { QualitySection } from './QualitySection.tsx';
import { reasoningQueries } from './reasoning-queries.ts';

/**
 * The Reasoning tab: which large model writes ŷ_β, how its final answer is read, batch generation
 * over a split, the reasoning's quality, and the cache.
 */
export function ReasoningPanel({ task }: { task: Task }) {
  return (
    <section className="reasoning-panel" aria-labelledby="reasoning-panel-heading">
      {/* The tab names the panel for sighted users; the heading keeps the sections' h3 under an h2, as on the other tabs. */}
      <h2 id="reasoning-panel-heading" className="visually-hidden">
        Reasoning
      </h2>
      <ProviderSummary />
      <AnswerPatternField />
      <AnswerSynonymsField task={task} />
      <BatchSection task={task} />
      <QualitySection task={task} />
      <CacheSummary />
    </section>
  );
}

function ProviderSummary() {
  const settings = useStudio((s) => s.project.reasoning.provider);
  const openDialog = useStudio((s) => s.openDialog);
  // Re-read whether a key is stored whenever the dialog closes (the store holds no key).
  const dialog = useStudio((s) => s.dialog);
  const summary = useMemo(() => {
    if (!settings) return null;
    const { params } = settings;
    const stop = params.stop.length > 0 ? `, stop ${params.stop.map((s) => JSON.stringify(s)).join(' ')}` : '';
    const label = buildProvider(settings).describe().label;
    if (isInBrowserPreset(settings.presetId)) {
      const model = parseInBrowserModel(settings.model);
      const demo = model.ok && model.ref.kind === 'demo';
      return {
        label,
        where: 'runs in this browser',
        params: `temperature ${params.temperature}, at most ${params.maxTokens} tokens${stop}`,
        key: demo ? 'the demo model’s weights are random, so its reasoning is gibberish (it is there to try the pipeline offline)' : `from ${settings.baseUrl}`,
      };
    }
    return {
      label,
      where: (
        <>
          at <code>{settings.baseUrl}</code>
        </>
      ),
      params: `temperature ${params.temperature}, at most ${params.maxTokens} tokens${stop}${settings.streaming ? ', streaming' : ''}`,
      key: secretStore().has(settings.id) ? 'API key saved in this browser' : 'no API key',
    };
    // `dialog` is a dependency on purpose: see above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings, dialog]);
  return (
    <section className="reasoning-section" aria-labelledby="provider-heading">
      <header className="panel-header">
        <h3 id="provider-heading">Large model θ_β</h3>
        <button type="button" onClick={() => openDialog({ kind: 'provider' })}>
          {settings ? 'Provider settings…' : 'Set up a provider…'}
        </button>
      </header>
      {summary && settings ? (
        <p role="group" aria-label="Provider">
          <strong>{summary.label}</strong> {summary.where} · {summary.params} · {summary.key}
        </p>
      ) : (
        <p className="muted">
          None yet. Any OpenAI-compatible chat-completions endpoint works: OpenAI, Gemini, Ollama, vLLM, llama.cpp, LM Studio, OpenRouter; or a
          small model in this browser.
        </p>
      )}
    </section>
  );
}

function CacheSummary() {
  const openDialog = useStudio((s) => s.openDialog);
  const stats = useQuery(reasoningQueries.stats());
  return (
    <section className="reasoning-section" aria-labelledby="cache-heading">
      <header className="panel-header">
        <h3 id="cache-heading">Reasoning cache</h3>
        <button type="button" onClick={() => openDialog({ kind: 'reasoning-cache' })}>
          Inspect cache…
        </button>
      </header>
      <p className="panel-hint" role="group" aria-label="Cache summary">
        {stats.data
          ? `${stats.data.count.toLocaleString()} reasonings, ${formatBytes(stats.data.bytes)}, in this browser (shared by all projects, carried in project exports). `
          : stats.isError
            ? `The cache could not be read: ${stats.error.message} `
            : 'Reading the cache… '}
        Keyed by endpoint, model, parameters and the rendered I_β prompt: editing I_τ never regenerates; editing I_β regenerates only the prompts that changed.
      </p>
    </section>
  );
}
