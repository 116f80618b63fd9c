import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import { isFinished } from '../../../fiat/reasoning/beta-output.ts';
import type { CacheFilter } from '../../../fiat/storage/reasoning-cache-repository.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { reasoningCache } from '../../lib/reasoning.ts';
import { useStudio } from '../../state/store.ts';
import { formatMs, formatUsage } from './format.ts';
import { invalidateReasoning, reasoningQueries } from './reasoning-queries.ts';

const PAGE = 20;

/**
 * Inspect the reasoning cache: how many reasonings, how much space, per model; browse them (as text,
 * newest first); clear one model's or all, after saying what will go.
 */
export function CacheDialog() {
  const closeDialog = useStudio((s) => s.closeDialog);
  const client = useQueryClient();
  const [offset, setOffset] = useState(0);
  const [confirming, setConfirming] = useState<CacheFilter | 'all' | null>(null);
  const stats = useQuery(reasoningQueries.stats());
  const page = useQuery(reasoningQueries.list(offset, PAGE));
  const clear = useMutation({
    mutationFn: (filter: CacheFilter | 'all') => reasoningCache.clear(filter === 'all' ? undefined : filter),
    onSuccess: async () => {
      setConfirming(null);
      setOffset(0);
      await invalidateReasoning(client);
    },
  });
  const count = stats.data?.count ?? 0;

  return (
    <Dialog title="Reasoning cache" onClose={closeDialog} wide>
      {stats.isError && <p role="alert">The cache could not be read: {stats.error.message}</p>}
      {stats.data && (
        <>
          <p role="status" aria-label="Cache size">
            {count.toLocaleString()} reasonings, {formatBytes(stats.data.bytes)}. Shared by every project in this browser; a project export
            carries them (never a key).
          </p>
          {stats.data.byModel.length > 0 && (
            <table className="versions-table" aria-label="Reasonings per model">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Model</th>
                  <th scope="col">Reasonings</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {stats.data.byModel.map((m) => (
                  <tr key={`${m.endpoint} ${m.model}`}>
                    <td>
                      <code>{m.endpoint}</code>
                    </td>
                    <td>{m.model}</td>
                    <td>{m.count.toLocaleString()}</td>
                    <td>
                      <button type="button" onClick={() => setConfirming({ endpoint: m.endpoint, model: m.model })}>
                        Clear…
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {confirming && (
        <div className="refusal" role="alertdialog" aria-label="Confirm clearing">
          <p>
            {confirming === 'all'
              ? `Delete all ${count.toLocaleString()} cached reasonings?`
              : `Delete the reasonings of ${confirming.model} at ${confirming.endpoint}?`}{' '}
            Generating them again costs requests (export the project first to keep a copy).
          </p>
          <div className="row-actions">
            <button type="button" disabled={clear.isPending} onClick={() => clear.mutate(confirming)}>
              Delete
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Keep them
            </button>
          </div>
        </div>
      )}
      {clear.isError && <p role="alert">Could not clear the cache: {clear.error.message}</p>}
      <div className="row-actions">
        <button type="button" disabled={count === 0} onClick={() => setConfirming('all')}>
          Clear all…
        </button>
      </div>
      <h3>Entries (newest first)</h3>
      {page.data && page.data.length === 0 && <p className="empty">The cache is empty.</p>}
      <ol className="cache-entries" aria-label="Cached reasonings" start={offset + 1}>
        {page.data?.map((entry) => (
          <li key={entry.key}>
            <details>
              <summary>
                {entry.model} · {new Date(entry.createdAt).toLocaleString()} · {formatMs(entry.latencyMs)} · {formatUsage(entry.usage)}
                {isFinished(entry) ? '' : ' · truncated: kept, not used'}
              </summary>
              <p className="muted">
                Endpoint <code>{entry.endpoint}</code> · temperature {entry.params.temperature}, at most {entry.params.maxTokens} tokens · prompt{' '}
                <code>{entry.promptHash.slice(0, 12)}</code> · finish: {entry.finishReason ?? 'none'}
              </p>
              <pre className="rendered-text" dir="auto">
                {entry.reasoning}
              </pre>
            </details>
          </li>
        ))}
      </ol>
      <div className="row-actions">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Newer
        </button>
        <button type="button" disabled={offset + PAGE >= count} onClick={() => setOffset(offset + PAGE)}>
          Older
        </button>
      </div>
    </Dialog>
  );
}
