import { useQueryClient } from '@tanstack/react-query';
import type { ModelInfo, ModelSource } from '../../../engine/engine.ts';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import { loadFraction, type LoadView } from '../../lib/load-progress.ts';
import { cancelSmallModelLoad, loadSmallModel, useSmallModel } from '../../lib/tuning-engine.ts';
import { EngineErrorView } from './EngineErrorView.tsx';
import { invalidateSmallModel } from './model-queries.ts';

/**
 * Loading the chosen source into the tuning engine: the button, the progress (bytes of the total, each file and
 * whether it came from the cache), cancel, the failure by kind with the engine's message, and what is loaded.
 */
export function LoadSection({ source, label }: { source: ModelSource | null; label: string }) {
  const client = useQueryClient();
  const { info, loading, error } = useSmallModel();
  const load = () => {
    if (!source) return;
    // A load fills the model cache: the cache list and the inspections' sizes to download change.
    void loadSmallModel(source, label).finally(() => invalidateSmallModel(client));
  };
  return (
    <div className="model-load">
      <div className="row-actions">
        <button type="button" disabled={!source || loading !== null} onClick={load}>
          Load {label}
        </button>
        {loading && (
          <button type="button" onClick={cancelSmallModelLoad}>
            Cancel
          </button>
        )}
      </div>
      {loading && <LoadProgressView label={loading.label} view={loading.view} afterDeviceLoss={loading.afterDeviceLoss} />}
      {error && <EngineErrorView error={error} doing="Loading the model" />}
      <LoadedModel info={info} />
    </div>
  );
}

function LoadProgressView({ label, view, afterDeviceLoss }: { label: string; view: LoadView; afterDeviceLoss: boolean }) {
  const fraction = loadFraction(view);
  const total = view.totalBytes === null ? '' : ` of ${formatBytes(view.totalBytes)}`;
  return (
    <div className="batch-progress">
      <progress aria-label="Load progress" max={1} {...(fraction === null ? {} : { value: fraction })} />
      <p role="status" aria-label="Loading">
        Loading {label}
        {afterDeviceLoss ? ' again on a new GPU device (the last one was lost)' : ''}: {formatBytes(view.loadedBytes)}
        {total}
      </p>
      <ul className="model-files" aria-label="Files loaded">
        {view.files.map((f) => (
          <li key={f.file}>
            <code>{f.file}</code> {formatBytes(f.bytes)}
            {f.fromCache ? ' (from the cache)' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

function LoadedModel({ info }: { info: ModelInfo | null }) {
  if (!info) {
    return (
      <p role="status" aria-label="Loaded model" className="muted">
        No small model is loaded yet.
      </p>
    );
  }
  const params = info.parameters >= 1e6 ? `${(info.parameters / 1e6).toFixed(1)}M` : `${(info.parameters / 1e3).toFixed(0)}k`;
  return (
    <div role="status" aria-label="Loaded model">
      <p>
        Loaded: <strong>{info.label}</strong>, {info.architecture}, {params} parameters ({info.weightDtype}, {formatBytes(info.weightBytes)}), {info.layers}{' '}
        layers, context {info.contextLength.toLocaleString()} tokens{info.hasChatTemplate ? ', with a chat template' : ', no chat template'}.
      </p>
      {info.randomWeights && (
        <p className="warning-line">Its weights are random: it shows the pipeline working (tokenize, train, generate), not the quality of a tuned model.</p>
      )}
    </div>
  );
}
