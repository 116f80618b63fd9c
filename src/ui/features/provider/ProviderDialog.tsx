import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isInBrowserPreset } from '../../../providers/in-browser-model.ts';
import { findPreset, PROVIDER_PRESETS } from '../../../providers/presets.ts';
import type { ConnectionTestResult } from '../../../providers/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { newId } from '../../lib/ids.ts';
import { buildProvider, secretStore } from '../../lib/reasoning.ts';
import { useReasoningModelState } from '../../lib/reasoning-engine.ts';
import { useStudio } from '../../state/store.ts';
import { InBrowserFields } from './InBrowserFields.tsx';
import { applyPreset, type DraftErrors, draftFromSettings, type ProviderDraft, settingsFromDraft } from './provider-draft.ts';
import { EndpointFields } from './EndpointFields.tsx';
import { GenerationFields } from './ProviderFields.tsx';

/**
 * The large model's profile: preset, base URL, model, API key, generation parameters, prices, and a
 * connection test; for the in-browser preset, the model to run here instead of a server, and a test that loads it. The key goes to browser storage under the profile id and nowhere else: it is
 * not part of the settings the project saves and exports, and it is never shown again once saved.
 */
export function ProviderDialog() {
  const closeDialog = useStudio((s) => s.closeDialog);
  const current = useStudio((s) => s.project.reasoning.provider);
  const setProvider = useStudio((s) => s.setProvider);
  const [draft, setDraft] = useState<ProviderDraft>(() => draftFromSettings(current, () => newId('provider-')));
  const [apiKey, setApiKey] = useState('');
  const [hasKey, setHasKey] = useState(() => secretStore().has(draft.id));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [checked, setChecked] = useState(false);
  const preset = findPreset(draft.presetId);
  const inBrowser = isInBrowserPreset(draft.presetId);

  const change = (patch: Partial<ProviderDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    // Once the user has tried to save or test, messages follow the fields as they are edited.
    if (checked) {
      const result = settingsFromDraft(next);
      setErrors(result.ok ? {} : result.errors);
    }
  };

  const test = useMutation({
    mutationFn: async (): Promise<ConnectionTestResult | null> => {
      setChecked(true);
      const result = settingsFromDraft(draft);
      setErrors(result.ok ? {} : result.errors);
      if (!result.ok) return null;
      return buildProvider(result.settings, apiKey !== '' && !inBrowser ? apiKey : undefined).testConnection();
    },
  });

  const save = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    const result = settingsFromDraft(draft);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    if (apiKey !== '' && !inBrowser) secretStore().set(result.settings.id, apiKey);
    setProvider(result.settings);
    closeDialog();
  };

  const models = test.data?.ok ? (test.data.models ?? []) : [];
  return (
    <Dialog title="Large model provider" onClose={closeDialog} wide>
      <form className="provider-form" aria-label="Provider settings" onSubmit={save} noValidate>
        <label className="stacked">
          Preset
          <select value={draft.presetId} onChange={(e) => change(applyPreset(draft, e.target.value))}>
            {PROVIDER_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {preset && <p className="panel-hint">{preset.notes}</p>}
        {inBrowser ? (
          <InBrowserFields draft={draft} errors={errors} onChange={change} />
        ) : (
          <EndpointFields
            draft={draft}
            errors={errors}
            onChange={change}
            models={models}
            apiKey={apiKey}
            onApiKey={setApiKey}
            hasKey={hasKey}
            onForgetKey={() => {
              secretStore().delete(draft.id);
              setHasKey(false);
            }}
          />
        )}
        <GenerationFields draft={draft} errors={errors} onChange={change} inBrowser={inBrowser} />
        {errors.settings && <p role="alert">{errors.settings}</p>}
        <div className="row-actions">
          <button type="button" disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? (inBrowser ? 'Loading…' : 'Testing…') : inBrowser ? 'Load the model' : 'Test connection'}
          </button>
          {test.data && (inBrowser ? <ModelLoadResult result={test.data} /> : <ConnectionResult result={test.data} model={draft.model.trim()} />)}
        </div>
        <div className="row-actions dialog-actions">
          <button type="submit">Save</button>
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
          {current && (
            <button
              type="button"
              onClick={() => {
                secretStore().delete(current.id);
                setProvider(null);
                closeDialog();
              }}
            >
              Remove this provider
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

function ConnectionResult({ result, model }: { result: ConnectionTestResult; model: string }) {
  if (!result.ok) {
    return (
      <p role="alert" aria-label="Connection test">
        Connection failed ({result.error.kind}): {result.error.message}
      </p>
    );
  }
  const listed =
    result.models === null || result.modelListed === null
      ? 'The server lists no models; a one-token request succeeded.'
      : result.modelListed
        ? `The server lists ${result.models.length} model(s); “${model}” is one of them.`
        : `The server lists ${result.models.length} model(s), but not “${model}”: ${result.models.slice(0, 8).join(', ')}${result.models.length > 8 ? ', …' : ''}.`;
  return (
    <p role="status" aria-label="Connection test">
      Connected in {result.latencyMs} ms. {listed}
    </p>
  );
}

/** The in-browser provider's test: the model loaded (what it is), or why not. */
function ModelLoadResult({ result }: { result: ConnectionTestResult }) {
  const state = useReasoningModelState();
  if (!result.ok) {
    return (
      <p role="alert" aria-label="Connection test">
        The model did not load ({result.error.kind}): {result.error.message}
      </p>
    );
  }
  const info = state.status === 'ready' ? state.info : null;
  const about = info
    ? ` ${info.architecture}, ${info.parameters.toLocaleString()} parameters, context ${info.contextLength.toLocaleString()} tokens${info.randomWeights ? ', random weights (its reasoning is noise)' : ''}.`
    : '';
  return (
    <p role="status" aria-label="Connection test">
      Model loaded in {result.latencyMs} ms.{about}
    </p>
  );
}
