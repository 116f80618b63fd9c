import { useId } from 'react';
import type { FieldParse } from './grid-fields.ts';

interface ParsedFieldProps<T> {
  label: string;
  /** The text as typed: kept whatever its parse says, so nothing typed is lost to an error. */
  text: string;
  onText: (text: string) => void;
  parsed: FieldParse<T>;
  /** What the parsed value means, shown under the field while it parses ("= 16, 64, 120 examples"). */
  describe: (value: T) => string;
  /** The field's one-line why. */
  hint: string;
  placeholder?: string;
}

/** A text field that the form parses as typed: the parsed value or the problem under it, and its why. */
export function ParsedField<T>({ label, text, onText, parsed, describe, hint, placeholder }: ParsedFieldProps<T>) {
  const id = useId();
  const status = parsed.ok ? (
    <small id={`${id}-parsed`} className="muted">
      {describe(parsed.value)}
    </small>
  ) : (
    <small id={`${id}-parsed`} className="field-error" role="alert">
      {parsed.message}
    </small>
  );
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={!parsed.ok}
        aria-describedby={`${id}-parsed ${id}-hint`}
        onChange={(e) => onText(e.target.value)}
      />
      {status}
      <small id={`${id}-hint`} className="muted">
        {hint}
      </small>
    </div>
  );
}
