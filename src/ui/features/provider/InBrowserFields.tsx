import { MODEL_PRESETS } from '../../../engine/presets.ts';
import type { DraftErrors, ProviderDraft } from './provider-draft.ts';
import { TextField } from './ProviderFields.tsx';

interface InBrowserFieldsProps {
  draft: ProviderDraft;
  errors: DraftErrors;
  onChange: (patch: Partial<ProviderDraft>) => void;
}

/**
 * The in-browser provider's model: the demo model the studio ships, or a Hub repo at a revision. No key field: a
 * gated repo's Hugging Face token is kept per Hub endpoint, apart from any provider profile.
 */
export function InBrowserFields({ draft, errors, onChange }: InBrowserFieldsProps) {
  return (
    <fieldset>
      <legend>Model (runs in this browser)</legend>
      <label className="checkbox-line choice-line">
        <input type="radio" name="in-browser-model" checked={draft.inBrowserModel === 'demo'} onChange={() => onChange({ inBrowserModel: 'demo' })} />
        Demo model: ships with the studio, works offline; random weights, so its reasoning is gibberish
      </label>
      <label className="checkbox-line choice-line">
        <input type="radio" name="in-browser-model" checked={draft.inBrowserModel === 'hub'} onChange={() => onChange({ inBrowserModel: 'hub' })} />
        A model from the Hugging Face Hub (downloaded once, then kept in this browser)
      </label>
      {draft.inBrowserModel === 'hub' && (
        <>
          <div className="two-columns">
            <TextField
              label="Hub repo"
              field="model"
              draft={draft}
              errors={errors}
              onChange={onChange}
              placeholder={`e.g. ${MODEL_PRESETS[1]?.repo ?? 'owner/name'}`}
              list="in-browser-models"
            />
            <TextField label="Revision" field="revision" draft={draft} errors={errors} onChange={onChange} hint="a branch, tag or commit" />
          </div>
          <datalist id="in-browser-models">
            {MODEL_PRESETS.map((preset) => (
              <option key={preset.id} value={preset.repo}>
                {`${preset.label}: ${preset.note}`}
              </option>
            ))}
          </datalist>
          <TextField label="Hub endpoint" field="baseUrl" draft={draft} errors={errors} onChange={onChange} hint="https://huggingface.co, or a mirror" />
        </>
      )}
    </fieldset>
  );
}
