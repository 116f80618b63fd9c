import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import { ConfirmDelete, useDeleteQuestion } from '../../components/ConfirmDelete.tsx';
import { tuningEngine } from '../../lib/tuning-engine.ts';
import { cachedModelName, groupCachedFiles, type CachedModel } from './cache-groups.ts';
import { EngineErrorView } from './EngineErrorView.tsx';
import { forgetCachedModel, modelQueries } from './model-queries.ts';
import { DEFAULT_HUB_ENDPOINT } from './model-source.ts';

/** The Hub models in this browser's cache (Cache Storage), by repo and revision with their sizes, each deletable. */
export function CachedModels() {
  const client = useQueryClient();
  const cache = useQuery(modelQueries.cache());
  const deleting = useDeleteQuestion<CachedModel>();
  const remove = useMutation({
    mutationFn: (model: CachedModel) => tuningEngine().clearCache({ endpoint: model.endpoint, repo: model.repo, revision: model.revision }),
    onSuccess: (_count, model) => forgetCachedModel(client, model),
  });
  const models = cache.data ? groupCachedFiles(cache.data) : [];
  return (
    <section className="reasoning-section" aria-labelledby="cached-models-heading">
      <h4 id="cached-models-heading">Cached models</h4>
      {cache.isError && <EngineErrorView error={cache.error} doing="Reading the model cache" />}
      {cache.data && models.length === 0 && <p className="muted">No model is cached in this browser.</p>}
      {models.length > 0 && (
        <table className="versions-table" aria-label="Cached models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Files</th>
              <th scope="col">Size</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={`${m.endpoint} ${m.repo} ${m.revision}`}>
                <td>{cachedModelName(m, DEFAULT_HUB_ENDPOINT)}</td>
                <td>{m.files}</td>
                <td>{formatBytes(m.bytes)}</td>
                <td>
                  <button type="button" aria-label={`Delete ${m.repo}@${m.revision}…`} onClick={() => deleting.ask(m)}>
                    Delete…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDelete question={deleting} remove={remove} title="Delete a cached model" confirmLabel="Delete">
        {(model) => (
          <p>
            Delete {cachedModelName(model, DEFAULT_HUB_ENDPOINT)} ({formatBytes(model.bytes)}) from this browser’s cache? Loading it again downloads it again. A
            model already loaded stays loaded.
          </p>
        )}
      </ConfirmDelete>
    </section>
  );
}
