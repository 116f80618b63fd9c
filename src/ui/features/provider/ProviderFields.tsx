import { type ReactNode, useId } from 'react';
import type { DraftErrors, DraftField, ProviderDraft } from './provider-draft.ts';

interface FieldsProps {
  draft: ProviderDraft;
  errors: DraftErrors;
  onChange: (patch: Partial<ProviderDraft>) => void;
}

/** A labelled text field with its message (the message names what is wrong, next to the field). */
export function TextField({
  label,
  field,
  draft,
  errors,
  onChange,
  hint,
  ...input
}: FieldsProps & { label: string; field: DraftField; hint?: ReactNode; placeholder?: string; inputMode?: 'decimal' | 'numeric'; list?: string }) {
  const messageId = useId();
  const hintId = useId();
  const error = errors[field];
  const describedBy = [hint ? hintId : '', error ? messageId : ''].filter(Boolean).join(' ');
  // Hint and message sit outside the label, so the field's accessible name is the label alone.
  return (
    <div className="field">
      <label className="stacked">
        {label}
        <input
          type="text"
          spellCheck={false}
          value={draft[field]}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => onChange({ [field]: e.target.value })}
          {...input}
        />
      </label>
      {hint && (
        <span id={hintId} className="panel-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={messageId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * Decoding parameters and prices: part of the cache key (all but prices), saved with the project. The in-browser
 * provider has no server: no streaming or wire options, and no prices.
 */
export function GenerationFields({ draft, errors, onChange, inBrowser }: FieldsProps & { inBrowser: boolean }) {
  const stopId = useId();
  return (
    <>
      <fieldset>
        <legend>Generation (part of the cache key: a change means new reasoning)</legend>
        <div className="two-columns">
          <TextField label="Temperature" field="temperature" inputMode="decimal" draft={draft} errors={errors} onChange={onChange} hint="0: the most likely reasoning, as in the paper" />
          <TextField label="Max tokens" field="maxTokens" inputMode="numeric" draft={draft} errors={errors} onChange={onChange} />
        </div>
        <label className="stacked">
          Stop sequences (one a line, at most 4; \n for a newline)
          <textarea
            rows={2}
            spellCheck={false}
            value={draft.stop}
            aria-invalid={errors.stop !== undefined}
            aria-describedby={errors.stop ? stopId : undefined}
            onChange={(e) => onChange({ stop: e.target.value })}
          />
          {errors.stop && (
            <span id={stopId} className="field-error" role="alert">
              {errors.stop}
            </span>
          )}
        </label>
        {!inBrowser && (
          <label className="checkbox-line">
            <input type="checkbox" checked={draft.streaming} onChange={(e) => onChange({ streaming: e.target.checked })} />
            Stream the reasoning as it is written (server-sent events)
          </label>
        )}
      </fieldset>
      {!inBrowser && (
        <fieldset>
          <legend>Prices (optional, per million tokens, in your currency: for the cost estimate)</legend>
          <div className="two-columns">
            <TextField label="Input price" field="priceInput" inputMode="decimal" draft={draft} errors={errors} onChange={onChange} />
            <TextField label="Output price" field="priceOutput" inputMode="decimal" draft={draft} errors={errors} onChange={onChange} />
          </div>
        </fieldset>
      )}
      <details>
        <summary>Advanced</summary>
        <div className="two-columns">
          <TextField label="Top-p" field="topP" inputMode="decimal" draft={draft} errors={errors} onChange={onChange} hint={inBrowser ? 'empty: 1 (with temperature above 0)' : "empty: the server's default"} />
          <TextField label="Seed" field="seed" inputMode="numeric" draft={draft} errors={errors} onChange={onChange} hint={inBrowser ? 'empty: 0' : 'empty: none'} />
        </div>
        {!inBrowser && <ServerFields draft={draft} onChange={onChange} />}
      </details>
    </>
  );
}

/** Options of the OpenAI-compatible wire format that some servers need changed. */
function ServerFields({ draft, onChange }: Pick<FieldsProps, 'draft' | 'onChange'>) {
  return (
    <>
      <label className="checkbox-line">
        <input type="checkbox" checked={draft.streamUsage} onChange={(e) => onChange({ streamUsage: e.target.checked })} />
        Ask for token usage in streams (turn off for servers that reject stream_options)
      </label>
      <label className="stacked">
        Max tokens field
        <select value={draft.maxTokensField} onChange={(e) => onChange({ maxTokensField: e.target.value as ProviderDraft['maxTokensField'] })}>
          <option value="max_tokens">max_tokens (most servers)</option>
          <option value="max_completion_tokens">max_completion_tokens (OpenAI's newer models)</option>
        </select>
      </label>
    </>
  );
}
