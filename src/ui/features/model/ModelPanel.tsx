import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { MODEL_PRESETS } from '../../../engine/presets.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { CachedModels } from './CachedModels.tsx';
import { needsHubToken } from './EngineErrorView.tsx';
import { storedToken } from './HubTokenField.tsx';
import { LoadSection } from './LoadSection.tsx';
import { invalidateSmallModel, modelQueries } from './model-queries.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import type { SavedModel } from '../../../fiat/project/tuning-settings.ts';
import { DEMO_LABEL, restoreChoice, type RestoredChoice, savedModelOf, sourceFromChoice, type SourceChoice } from './model-source.ts';
import { SourceCheck } from './SourceCheck.tsx';
import { SourceChooser } from './SourceChooser.tsx';

/**
 * The small model θ_τ: choose it (the demo model by default, a preset, a Hub repo, or local files), see its size and
 * whether the run's shapes fit this GPU before anything large is downloaded, load it with progress, and manage the
 * cached models. The choice is saved with the chosen task's tuning settings and comes back after a reload as a
 * "Load <model>" button: nothing is loaded or downloaded until the user asks (local files are picked again).
 */
export function ModelPanel() {
  const client = useQueryClient();
  const saved = useTaskSetup((t) => t.tuning.model);
  const setSaved = useStudio((s) => s.setTuningModel);
  // The committed choice and endpoint, and the saved choice they came from. Another saved choice (a task switch, a
  // project import) restores the panel, and the chooser's drafts with it (its key is the generation); the panel's
  // own commits record what they save, so they restore nothing.
  const [panel, setPanel] = useState<PanelState>(() => ({ saved, generation: 0, ...restoreChoice(saved) }));
  if (panel.saved !== saved) setPanel({ saved, generation: panel.generation + 1, ...restoreChoice(saved) });
  const { choice, endpoint } = panel;
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
        key={panel.generation}
        choice={choice}
        initialMode={panel.mode}
        endpoint={endpoint}
        onCommit={(next, nextEndpoint) => {
          const nextSaved = next ? savedModelOf(next, nextEndpoint) : null;
          // A new saved choice replaces a restored local model's name (nothing is left to pick again).
          setPanel((p) => ({ ...p, choice: next, endpoint: nextEndpoint, ...(nextSaved ? { saved: nextSaved, filesLabel: null } : {}) }));
          if (nextSaved) setSaved(nextSaved);
        }}
        errors={result && !result.ok ? result.errors : {}}
        needsToken={needsHubToken(inspection.error) || needsHubToken(loadError)}
        onTokenChanged={() => {
          setTokenVersion((v) => v + 1);
          void invalidateSmallModel(client);
        }}
      />
      {!choice && panel.filesLabel !== null && (
        <p className="muted">
          This task’s model was {panel.filesLabel}, from files on this computer: files are not saved with the project, so pick its folder again.
        </p>
      )}
      {source && <SourceCheck source={source} />}
      <LoadSection source={source} label={choice ? choiceLabel(choice) : 'a model'} />
      <CachedModels />
    </section>
  );
}

type PanelState = Omit<RestoredChoice, 'choice'> & { choice: SourceChoice | null; saved: SavedModel; generation: number };

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
