import { type FormEvent, useId, useState } from 'react';
import { formatBytes } from '../../../fiat/dataset/read.ts';
import { MODEL_PRESETS } from '../../../engine/presets.ts';
import type { PickedModel } from '../../../engine/sources/local-files.ts';
import { HubTokenField } from './HubTokenField.tsx';
import { LocalFilesPicker } from './LocalFilesPicker.tsx';
import type { SourceChoice, SourceField } from './model-source.ts';

export type SourceMode = SourceChoice['kind'];

const MODES: readonly { mode: SourceMode; label: string; hint: string }[] = [
  { mode: 'demo', label: 'Demo model', hint: 'offline, tiny, with random weights: it shows the pipeline working, not the quality of a tuned model' },
  { mode: 'preset', label: 'A preset', hint: 'a small instruction-tuned model from the Hugging Face Hub' },
  { mode: 'hub', label: 'A Hub repo', hint: 'any repo id and revision, on the Hub or a mirror' },
  { mode: 'files', label: 'Files on this computer', hint: 'a model’s folder in the Hub’s layout' },
];

interface SourceChooserProps {
  /** The committed choice (what is inspected and loaded), null until the chosen mode has one. The drafts start from it. */
  choice: SourceChoice | null;
  /** The mode shown at first (the saved choice's, also when it has no committed choice: local files to pick again). */
  initialMode: SourceMode;
  /** The committed Hub endpoint. */
  endpoint: string;
  onCommit: (choice: SourceChoice | null, endpoint: string) => void;
  /** The committed choice's problems, at their fields. */
  errors: Partial<Record<SourceField, string>>;
  /** Open the token field: the last request needed a token (401/403). */
  needsToken: boolean;
  onTokenChanged: () => void;
}

/**
 * Where the small model comes from. The demo model and local files are taken as chosen; a preset or a Hub repo is
 * taken when the user checks it (a preset at once when picked), so typing a repo id sends no requests.
 */
export function SourceChooser({ choice, initialMode, endpoint, onCommit, errors, needsToken, onTokenChanged }: SourceChooserProps) {
  const [mode, setMode] = useState<SourceMode>(choice?.kind ?? initialMode);
  const [presetId, setPresetId] = useState(choice?.kind === 'preset' ? choice.presetId : MODEL_PRESETS[0]!.id);
  const [repo, setRepo] = useState(choice?.kind === 'hub' ? choice.repo : '');
  const [revision, setRevision] = useState(choice?.kind === 'hub' ? choice.revision : 'main');
  const [endpointDraft, setEndpointDraft] = useState(endpoint);
  const [picked, setPicked] = useState<PickedModel | null>(null);
  const groupName = useId();

  const choose = (next: SourceMode) => {
    setMode(next);
    if (next === 'demo') onCommit({ kind: 'demo' }, endpoint);
    else if (next === 'preset') onCommit({ kind: 'preset', presetId }, endpointDraft);
    else if (next === 'files') onCommit(picked ? { kind: 'files', picked } : null, endpoint);
    else onCommit(null, endpoint);
  };

  const check = (event: FormEvent) => {
    event.preventDefault();
    onCommit(mode === 'preset' ? { kind: 'preset', presetId } : { kind: 'hub', repo, revision }, endpointDraft);
  };

  const fieldError = (field: SourceField) =>
    errors[field] ? (
      <span className="field-error" role="alert">
        {errors[field]}
      </span>
    ) : null;

  return (
    <div className="model-source">
      <fieldset>
        <legend>Model</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="checkbox-line">
            <input type="radio" name={groupName} value={m.mode} checked={mode === m.mode} onChange={() => choose(m.mode)} />
            <span>
              {m.label} <span className="muted">({m.hint})</span>
            </span>
          </label>
        ))}
      </fieldset>
      {(mode === 'preset' || mode === 'hub') && (
        <form className="hub-form" aria-label={mode === 'preset' ? 'Preset model' : 'Hub repo'} onSubmit={check} noValidate>
          {mode === 'preset' ? (
            <label className="stacked">
              Preset
              <select
                value={presetId}
                onChange={(e) => {
                  setPresetId(e.target.value);
                  onCommit({ kind: 'preset', presetId: e.target.value }, endpointDraft);
                }}
              >
                {MODEL_PRESETS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}: about {formatBytes(p.approxDownloadBytes)}, {p.licence}; {p.note}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <div className="two-columns">
              <label className="stacked">
                Repo id
                <input value={repo} placeholder="owner/name" spellCheck={false} aria-invalid={!!errors.repo} onChange={(e) => setRepo(e.target.value)} />
                {fieldError('repo')}
              </label>
              <label className="stacked">
                Revision
                <input value={revision} spellCheck={false} aria-invalid={!!errors.revision} onChange={(e) => setRevision(e.target.value)} />
                {fieldError('revision')}
              </label>
            </div>
          )}
          <details open={needsToken || !!errors.endpoint || !!errors.token || undefined}>
            <summary>Hub endpoint and access token</summary>
            <label className="stacked">
              Hub endpoint
              <input value={endpointDraft} spellCheck={false} aria-invalid={!!errors.endpoint} onChange={(e) => setEndpointDraft(e.target.value)} />
              {fieldError('endpoint')}
            </label>
            {fieldError('token')}
            <HubTokenField endpoint={endpointDraft} onChanged={onTokenChanged} />
          </details>
          <div className="row-actions">
            <button type="submit">Check size and fit</button>
          </div>
        </form>
      )}
      {mode === 'files' && (
        <LocalFilesPicker
          picked={picked}
          onPicked={(model) => {
            setPicked(model);
            onCommit({ kind: 'files', picked: model }, endpoint);
          }}
        />
      )}
    </div>
  );
}
