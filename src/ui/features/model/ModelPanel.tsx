import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { MODEL_PRESETS } from '../../../engine/presets.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { CachedModels } from './CachedModels.tsx';
import { needsHubToken } from './EngineErrorView.tsx';
import { storedToken } from './HubTokenField.tsx';
import { LoadSection } from './LoadSection.tsx';
import { invalidateSmallModel, modelQueries } from './model-queries.ts';
import { DEFAULT_HUB_ENDPOINT, DEMO_LABEL, sourceFromChoice, type SourceChoice } from './model-source.ts';
import { SourceCheck } from './SourceCheck.tsx';
import { SourceChooser } from './SourceChooser.tsx';

/**
 * The small model θ_τ: choose it (the demo model by default, a preset, a Hub repo, or local files), see its size and
 * whether the run's shapes fit this GPU before anything large is downloaded, load it with progress, and manage the
 * cached models.
 */
export function ModelPanel() {
  const client = useQueryClient();
  const [choice, setChoice] = useState<SourceChoice | null>({ kind: 'demo' });
  const [endpoint, setEndpoint] = useState(DEFAULT_HUB_ENDPOINT);
  // Bumped when a token is saved or forgotten: the stored token is read again (it is never React state).
  const [tokenVersion, setTokenVersion] = useState(0);
  const result = useMemo(
    () => (choice ? sourceFromChoice(choice, { endpoint, token: storedToken(endpoint) }, document.baseURI) : null),
    // tokenVersion: see above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [choice, endpoint, tokenVersion],
  );
  const source = result?.ok ? result.source : null;
  const { error: loadError } = useSmallModel();
  const inspection = useQuery(modelQueries.inspect(source));

  return (
    <section className="reasoning-section model-panel" aria-labelledby="model-panel-heading">
      <h3 id="model-panel-heading">Small model θ_τ</h3>
      <p className="panel-hint">
        The model FIAT tunes with LoRA in this browser. Its size and whether a run fits this device’s GPU are shown before anything is downloaded.
      </p>
      <SourceChooser
        choice={choice}
        endpoint={endpoint}
        onCommit={(next, nextEndpoint) => {
          setChoice(next);
          setEndpoint(nextEndpoint);
        }}
        errors={result && !result.ok ? result.errors : {}}
        needsToken={needsHubToken(inspection.error) || needsHubToken(loadError)}
        onTokenChanged={() => {
          setTokenVersion((v) => v + 1);
          void invalidateSmallModel(client);
        }}
      />
      {source && <SourceCheck source={source} />}
      <LoadSection source={source} label={choice ? choiceLabel(choice) : 'a model'} />
      <CachedModels />
    </section>
  );
}

/** The choice as the Load button names it. */
function choiceLabel(choice: SourceChoice): string {
  switch (choice.kind) {
    case 'demo':
      return DEMO_LABEL;
    case 'preset':
      return MODEL_PRESETS.find((p) => p.id === choice.presetId)?.label ?? choice.presetId;
    case 'hub':
      return choice.revision.trim() === 'main' ? choice.repo.trim() : `${choice.repo.trim()}@${choice.revision.trim()}`;
    case 'files':
      return choice.picked.label;
  }
}
