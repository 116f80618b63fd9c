import { useMutation } from '@tanstack/react-query';
import type { ChangeEvent } from 'react';
import { EngineError } from '../../../engine/errors.ts';
import { downloadBytes, downloadText } from '../../lib/download.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { EngineErrorView } from '../model/EngineErrorView.tsx';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, adapterBaseLabel, adapterConfigJson, readAdapterFiles } from './adapter-files.ts';
import { useAdapterStore } from './adapter-store.ts';
import { useRunStore } from './run-store.ts';
import { TunedModelExport } from './TunedModelExport.tsx';

/** One token in, one scored: the cheapest call that makes the engine read an adapter against the loaded model. */
const PROBE = [{ tokens: [0, 0], promptLength: 1 }] as const;

/**
 * The tuned adapter in PEFT's format: export the prepared training's adapter as its two files (its config names the
 * base model and revision), or import one (the two files or their folder) to evaluate with or to start a run from.
 * An import is checked against the loaded small model at once, so a mismatched base gets the engine's message here.
 * A shown run that trained all weights has no adapter: its tuned model is offered instead (TunedModelExport).
 */
export function AdapterSection() {
  const { engine, info } = useSmallModel();
  const imported = useAdapterStore((s) => s.imported);
  const setImported = useAdapterStore((s) => s.setImported);
  const shown = useRunStore((s) => s.run);
  const allWeightsRun = shown?.allWeights === true ? shown : null;

  const exportAdapter = useMutation({
    mutationKey: ['adapter', 'export'],
    mutationFn: async () => {
      const adapter = await engine.readAdapter();
      downloadText(ADAPTER_CONFIG_FILE, adapterConfigJson(adapter.config));
      downloadBytes(ADAPTER_WEIGHTS_FILE, adapter.weights);
      return adapterBaseLabel(adapter);
    },
  });

  const importAdapter = useMutation({
    mutationKey: ['adapter', 'import'],
    mutationFn: async (files: File[]) => {
      const adapter = await readAdapterFiles(files);
      if (!info) throw new Error('Load the small model first: an adapter is checked against the model it will run with.');
      await engine.score({ examples: PROBE, adapter: { kind: 'peft', adapter } });
      const from = files.map((f) => f.webkitRelativePath || f.name).join(', ');
      setImported({ adapter, from, base: adapterBaseLabel(adapter), checkedWith: info.label });
    },
  });

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const files = event.target.files ? [...event.target.files] : [];
    // Cleared, so picking the same files again (after loading another model) imports them again.
    event.target.value = '';
    if (files.length > 0) importAdapter.mutate(files);
  };

  const exportError = exportAdapter.error;
  const noTraining = exportError instanceof EngineError && exportError.kind === 'usage';
  return (
    <section className="reasoning-section adapter-section" aria-labelledby="adapter-section-heading">
      <h3 id="adapter-section-heading">Adapter (PEFT)</h3>
      <p className="panel-hint">
        {ADAPTER_CONFIG_FILE} and {ADAPTER_WEIGHTS_FILE}, as PEFT writes and reads them: the config names the base model and its revision.
      </p>
      {allWeightsRun ? (
        <TunedModelExport runId={allWeightsRun.runId} modelLabel={allWeightsRun.modelLabel} />
      ) : (
        <div className="row-actions">
          <button type="button" disabled={exportAdapter.isPending} onClick={() => exportAdapter.mutate()}>
            Export the tuned adapter
          </button>
        </div>
      )}
      {noTraining && (
        <p role="alert" className="field-error">
          There is no tuned adapter to export: no training is prepared in this tab. Start a run, or resume a paused one, then export.
        </p>
      )}
      {exportError && !noTraining && <EngineErrorView error={exportError} doing="Exporting the adapter" />}
      {exportAdapter.isSuccess && <p className="muted">Exported the adapter of {exportAdapter.data ?? 'a base the config does not name'}.</p>}

      <fieldset>
        <legend>Import an adapter</legend>
        <label>
          The two files{' '}
          <input type="file" multiple accept=".json,.safetensors" disabled={importAdapter.isPending} onChange={onPick} />
        </label>
        <label>
          Or their folder{' '}
          <input
            type="file"
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            disabled={importAdapter.isPending}
            onChange={onPick}
          />
        </label>
        {importAdapter.isPending && <p className="muted">Checking the adapter against {info?.label ?? 'the model'}…</p>}
        {importAdapter.error &&
          (importAdapter.error instanceof EngineError ? (
            <EngineErrorView error={importAdapter.error} doing={`Checking the adapter against ${info?.label ?? 'the model'}`} />
          ) : (
            <p role="alert" className="field-error">
              {importAdapter.error.message}
            </p>
          ))}
      </fieldset>
      {imported && (
        <div className="imported-adapter" role="group" aria-label="Imported adapter">
          <p>
            Imported adapter ({imported.from}), tuned on {imported.base ?? 'a base its config does not name'}; checked with {imported.checkedWith}. Runs can
            start from it and evaluation can use it.
          </p>
          <button type="button" onClick={() => setImported(null)}>
            Forget the imported adapter
          </button>
        </div>
      )}
    </section>
  );
}
