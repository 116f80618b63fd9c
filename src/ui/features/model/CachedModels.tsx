import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { tuningEngine } from '../../lib/tuning-engine.ts';
import { cachedModelName, groupCachedFiles, type CachedModel } from './cache-groups.ts';
import { EngineErrorView } from './EngineErrorView.tsx';
import { forgetCachedModel, modelQueries } from './model-queries.ts';
import { DEFAULT_HUB_ENDPOINT } from './model-source.ts';

/** The Hub models in this browser's cache (Cache Storage), by repo and revision with their sizes, each deletable. */
export function CachedModels() {
  const client = useQueryClient();
  const cache = useQuery(modelQueries.cache());
  const [deleting, setDeleting] = useState<CachedModel | null>(null);
  const remove = useMutation({
    mutationFn: (model: CachedModel) => tuningEngine().clearCache({ endpoint: model.endpoint, repo: model.repo, revision: model.revision }),
    onSuccess: async (_count, model) => {
      setDeleting(null);
      await forgetCachedModel(client, model);
    },
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
                  <button type="button" aria-label={`Delete ${m.repo}@${m.revision}…`} onClick={() => setDeleting(m)}>
                    Delete…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete a cached model"
          confirmLabel="Delete"
          onConfirm={() => remove.mutate(deleting)}
          onClose={() => {
            setDeleting(null);
            remove.reset();
          }}
          pending={remove.isPending}
          error={remove.error}
          failurePrefix="Could not delete it"
        >
          <p>
            Delete {cachedModelName(deleting, DEFAULT_HUB_ENDPOINT)} ({formatBytes(deleting.bytes)}) from this browser’s cache? Loading it again downloads it
            again. A model already loaded stays loaded.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
