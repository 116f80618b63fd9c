import { useId } from 'react';
import type { TauOption } from './builder-plan.ts';

interface TauChoicesProps {
  /** The current I_τ first, then the task's saved versions, newest first. */
  options: readonly TauOption[];
  ticked: ReadonlySet<string>;
  onToggle: (id: string, ticked: boolean) => void;
  /** Ticked options left out because an earlier one has the same text: option id -> that one's label. */
  sameAs: ReadonlyMap<string, string>;
  /** Why the saved versions are not listed (still reading, or reading failed); null when they are. */
  versionsProblem: string | null;
}

/** Which I_τ texts the grid runs: the editor's current text and the saved versions, as checkboxes (at least one). */
export function TauChoices({ options, ticked, onToggle, sameAs, versionsProblem }: TauChoicesProps) {
  const noteId = useId();
  const none = ![...ticked].some((id) => options.some((o) => o.id === id));
  return (
    <fieldset className="radio-group" aria-describedby={noteId}>
      <legend>I_τ versions</legend>
      {options.map((option) => (
        <label key={option.id} className="checkbox-line">
          <input type="checkbox" checked={ticked.has(option.id)} onChange={(e) => onToggle(option.id, e.target.checked)} />
          {option.label}
          {sameAs.has(option.id) && <small className="muted"> (same text as {sameAs.get(option.id)}: run once)</small>}
        </label>
      ))}
      {versionsProblem !== null && <small className="muted">{versionsProblem}</small>}
      {none ? (
        <small id={noteId} className="field-error" role="alert">
          Tick at least one I_τ version.
        </small>
      ) : (
        <small id={noteId} className="muted">
          &quot;current&quot; is the text in the I_τ editor now; saved versions are those of its Versions dialog.
        </small>
      )}
    </fieldset>
  );
}
