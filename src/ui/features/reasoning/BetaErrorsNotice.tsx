import { describeBetaErrors } from '../../../fiat/prompt/assemble.ts';
import type { TemplateDiagnostic } from '../../../fiat/template/lint.ts';
import { revealInEditor } from '../../components/monaco/lazy.tsx';
import { useStudio } from '../../state/store.ts';

/**
 * Why nothing is sent while I_β has template errors, with a button that takes the user to the first
 * one in the I_β editor.
 */
export function BetaErrorsNotice({ errors }: { errors: readonly TemplateDiagnostic[] }) {
  const setMiddleTab = useStudio((s) => s.setMiddleTab);
  const first = errors[0];
  if (!first) return null;
  return (
    <div className="refusal" role="alert">
      <p>{describeBetaErrors(errors)}</p>
      <button
        type="button"
        onClick={() => {
          setMiddleTab('instructions');
          // After the tab is shown: a hidden editor cannot take focus.
          requestAnimationFrame(() => void revealInEditor('beta', first.startLine, first.startColumn));
        }}
      >
        Show in the I_β editor
      </button>
    </div>
  );
}
