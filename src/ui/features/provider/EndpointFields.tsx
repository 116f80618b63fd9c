import { useId } from 'react';
import { findPreset } from '../../../providers/presets.ts';
import type { DraftErrors, ProviderDraft } from './provider-draft.ts';
import { TextField } from './ProviderFields.tsx';

interface EndpointFieldsProps {
  draft: ProviderDraft;
  errors: DraftErrors;
  onChange: (patch: Partial<ProviderDraft>) => void;
  /** Model ids the last connection test listed, offered as the model field's suggestions. */
  models: readonly string[];
  /** The key as typed (never the saved one, which is not shown again). */
  apiKey: string;
  onApiKey: (key: string) => void;
  hasKey: boolean;
  onForgetKey: () => void;
}

/** An OpenAI-compatible server: base URL, model and API key. */
export function EndpointFields({ draft, errors, onChange, models, apiKey, onApiKey, hasKey, onForgetKey }: EndpointFieldsProps) {
  const keyHintId = useId();
  const preset = findPreset(draft.presetId);
  return (
    <>
      <div className="two-columns">
        <TextField label="Base URL" field="baseUrl" draft={draft} errors={errors} onChange={onChange} hint="The client appends /chat/completions and /models." />
        <TextField label="Model" field="model" draft={draft} errors={errors} onChange={onChange} placeholder={preset ? `e.g. ${preset.modelExample}` : ''} list="provider-models" />
      </div>
      <datalist id="provider-models">
        {models.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <div className="field">
        <label className="stacked">
          API key
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            placeholder={hasKey ? 'saved in this browser (type to replace)' : preset?.needsKey ? 'required by this provider' : 'optional for this server'}
            aria-describedby={keyHintId}
            onChange={(e) => onApiKey(e.target.value)}
          />
        </label>
        <span id={keyHintId} className="panel-hint">
          Kept only in this browser’s storage, never in the project, its exports, URLs or logs. It is sent only to the base URL above.
        </span>
      </div>
      {hasKey && (
        <button type="button" className="link-button" onClick={onForgetKey}>
          Forget the saved key
        </button>
      )}
    </>
  );
}
