import { useQuery } from '@tanstack/react-query';
import type { MemoryEstimate, ModelSource, SourceInspection } from '../../../engine/engine.ts';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import { describeShapes, type TrainingShapes } from '../../../fiat/tuning/training-shapes.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { EngineErrorView } from './EngineErrorView.tsx';
import { modelQueries } from './model-queries.ts';

/**
 * Before a load: the source's size (what is cached, what is left to download) and whether the run's shapes fit this
 * device's GPU (the engine's estimate for the source's config against the adapter's limits), with what to change.
 */
export function SourceCheck({ source }: { source: ModelSource }) {
  // The chosen task's run shapes, as the run settings edit them.
  const shapes = useTaskSetup((t) => t.tuning.shapes);
  const inspection = useQuery(modelQueries.inspect(source));
  const memory = useQuery(modelQueries.memory(source, inspection.data?.config, shapes));
  return (
    <div className="model-check">
      {inspection.isPending && <p role="status">Reading the model’s file list and config…</p>}
      {inspection.isError && <EngineErrorView error={inspection.error} doing="Reading the model’s files" />}
      {inspection.data && <SizeSummary source={source} inspection={inspection.data} />}
      {inspection.data && memory.isPending && <p role="status">Estimating the GPU memory of a run…</p>}
      {memory.isError && <EngineErrorView error={memory.error} doing="Estimating the memory" />}
      {memory.data && <MemoryVerdict estimate={memory.data} shapes={shapes} />}
    </div>
  );
}

function SizeSummary({ source, inspection }: { source: ModelSource; inspection: SourceInspection }) {
  const { files, totalBytes, toDownloadBytes } = inspection;
  const size = (bytes: number | null) => (bytes === null ? 'unknown size' : formatBytes(bytes));
  const cached = files.filter((f) => f.cached);
  const where =
    source.kind === 'url'
      ? 'served with the studio: nothing comes from the Internet'
      : source.kind === 'files'
        ? 'read from this computer: nothing is downloaded'
        : toDownloadBytes === 0
          ? 'all in this browser’s cache: loading makes no request'
          : `${size(toDownloadBytes)} to download${cached.length > 0 ? `, ${cached.length} files already cached` : ''}`;
  return (
    <div>
      <p role="status" aria-label="Model size">
        {inspection.label}: {files.length} files, {size(totalBytes)} in all; {where}.
      </p>
      <details>
        <summary>Files</summary>
        <ul className="model-files" aria-label="Model files">
          {files.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code> {size(f.size)}
              {f.cached ? ' (cached)' : ''}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function MemoryVerdict({ estimate, shapes }: { estimate: MemoryEstimate; shapes: TrainingShapes }) {
  const { peakBytes, parts, largestBufferBytes, limits, budgetBytes, fits, advice } = estimate;
  const breakdown = `weights ${formatBytes(parts.weights)}, adapter and optimizer ${formatBytes(parts.adapterAndOptimizer)}, activations ${formatBytes(parts.activations)}`;
  return (
    <div role="group" aria-label="Memory check">
      <p>
        A run with {describeShapes(shapes)} needs about <strong>{formatBytes(peakBytes)}</strong> of GPU memory ({breakdown}).
      </p>
      {limits === null && (
        <p role="note">This browser offers no WebGPU: the run will use WASM on the CPU (slower), so there are no GPU limits to check.</p>
      )}
      {(limits !== null || budgetBytes !== null) && (
        <>
          <p className="muted">
            Largest buffer {formatBytes(largestBufferBytes)}
            {limits === null ? '' : `; this GPU allows ${formatBytes(Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize))} per buffer`}
            {budgetBytes === null ? '' : `; your budget is ${formatBytes(budgetBytes)}`}.
          </p>
          <p role="status" aria-label="Fit verdict" className={fits ? 'verdict-agrees' : 'verdict-disagrees'}>
            {limits === null ? (fits ? 'Fits your memory budget.' : 'Does not fit your memory budget.') : fits ? 'Fits this device’s GPU.' : 'Does not fit this device’s GPU.'}
          </p>
        </>
      )}
      {!fits && advice.length > 0 && (
        <ul aria-label="What to change">
          {advice.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
