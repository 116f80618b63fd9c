import { useId, useState } from 'react';
import { hubEndpointProblem, hubTokenProblem } from '../../../engine/sources/hub-names.ts';
import { hubTokenStore } from '../../lib/hub-token-store.ts';

/**
 * The access token for gated or private repos at one Hub endpoint: saved in this browser only (lib/hub-token-store.ts),
 * never shown again, never in a project, export, URL or log. The engine sends it only as a header to that endpoint.
 */
export function HubTokenField({ endpoint, onChanged }: { endpoint: string; onChanged: () => void }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const hintId = useId();
  const saved = hasToken(endpoint);

  const save = () => {
    const found = hubEndpointProblem(endpoint) ?? (token.trim() === '' ? 'Paste a token first.' : hubTokenProblem(token));
    setProblem(found);
    if (found !== null) return;
    hubTokenStore().set(endpoint, token.trim());
    setToken('');
    onChanged();
  };

  return (
    <div className="field">
      <label className="stacked">
        Access token
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          placeholder={saved ? 'saved in this browser (type to replace)' : 'hf_… for gated or private repos'}
          aria-describedby={hintId}
          aria-invalid={problem !== null}
          onChange={(e) => setToken(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              save();
            }
          }}
        />
      </label>
      {problem && <span className="field-error">{problem}</span>}
      <span id={hintId} className="panel-hint">
        For gated or private repos (accept the licence on the repo’s page first). Kept only in this browser’s storage, never in the project, its
        exports, URLs or logs; sent only to this endpoint.
      </span>
      <div className="row-actions">
        <button type="button" onClick={save}>
          Save token
        </button>
        {saved && (
          <button
            type="button"
            onClick={() => {
              hubTokenStore().delete(endpoint);
              onChanged();
            }}
          >
            Forget the saved token
          </button>
        )}
      </div>
    </div>
  );
}

/** Whether a token is stored for the endpoint; an endpoint that is not a URL has none. */
export function hasToken(endpoint: string): boolean {
  return storedToken(endpoint) !== null;
}

export function storedToken(endpoint: string): string | null {
  try {
    return hubTokenStore().get(endpoint);
  } catch {
    return null;
  }
}
