import { useId } from 'react';
import type { MethodId } from '../../../../fiat/experiments/methods.ts';
import type { MethodRow } from './builder-plan.ts';

interface MethodChoicesProps {
  rows: readonly MethodRow[];
  ticked: ReadonlySet<MethodId>;
  onToggle: (id: MethodId, ticked: boolean) => void;
}

/**
 * The methods as checkboxes in the catalogue's order, each named as the paper names it with its line; one that cannot
 * run is disabled with the reason. Table 3's ablations are indented by their depth under FIAT, since each removes one
 * more ingredient from the line above.
 */
export function MethodChoices({ rows, ticked, onToggle }: MethodChoicesProps) {
  const noteId = useId();
  return (
    <fieldset className="radio-group" aria-describedby={noteId}>
      <legend>Methods</legend>
      <small id={noteId} className="muted">
        The indented ablations are cumulative, as in the paper&apos;s Table 3: each removes one more ingredient from the line above it.
      </small>
      {rows.map(({ method, depth, availability }) => (
        <MethodChoice key={method.id} id={method.id} name={method.paperName} line={method.description} depth={depth} reason={availability.available ? null : availability.reason} ticked={ticked.has(method.id)} onToggle={onToggle} />
      ))}
    </fieldset>
  );
}

interface MethodChoiceProps {
  id: MethodId;
  name: string;
  line: string;
  depth: number;
  /** Why it cannot be ticked; null when it can. */
  reason: string | null;
  ticked: boolean;
  onToggle: (id: MethodId, ticked: boolean) => void;
}

function MethodChoice({ id, name, line, depth, reason, ticked, onToggle }: MethodChoiceProps) {
  const describedBy = useId();
  // The indent is the chain's depth, so it is computed, not a class per depth.
  const indent = { marginInlineStart: `${depth * 1.5}em`, marginBlockEnd: '6px' };
  return (
    <div style={indent}>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={ticked && reason === null}
          disabled={reason !== null}
          aria-describedby={describedBy}
          onChange={(e) => onToggle(id, e.target.checked)}
        />
        {name}
      </label>
      <small id={describedBy} className="muted">
        {line}
        {reason !== null && ` Not available here. ${reason}`}
      </small>
    </div>
  );
}
