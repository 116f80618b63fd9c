import { memo } from 'react';
import type { Rendered } from '../../../fiat/template/render.ts';

interface RenderedPromptProps {
  title: string;
  description: string;
  rendered: Rendered;
  /** The token count as shown (preview/sources.ts useTokenLabel). */
  tokens: string;
}

/**
 * One rendered instruction as text, with filled variables, the pending reasoning slot and invalid
 * tags marked. Text only (never HTML): model output will be shown here too. Each filled variable is its
 * own bidi run (`dir="auto"`): an Arabic question reads right to left inside left-to-right
 * instructions; the prompt's own direction comes from the instruction's text (`dir="auto"` skips runs
 * that set their own).
 */
export const RenderedPrompt = memo(function RenderedPrompt({ title, description, rendered, tokens }: RenderedPromptProps) {
  return (
    <article className="rendered" aria-label={title}>
      <header className="rendered-header">
        <h3>{title}</h3>
        <p className="panel-hint">{description}</p>
        <p className="counts" role="group" aria-label={`${title} counts`}>
          <span>{rendered.characters.toLocaleString()} characters{rendered.pendingReasoning ? ' + reasoning' : ''}</span>
          <span>{tokens}</span>
        </p>
        {rendered.hasInvalid && <p className="warning-line">Has invalid variables (marked): fix them before this is sent to a model.</p>}
      </header>
      <pre className="rendered-text" dir="auto" data-testid={`${title} text`}>
        {rendered.segments.map((segment, i) => {
          if (segment.kind === 'literal') return segment.text;
          if (segment.kind === 'invalid') {
            return <mark key={i} className="slot slot-invalid" dir="auto" title="invalid variable: rendered as written">{segment.text}</mark>;
          }
          if (segment.pending) {
            return <span key={i} className="slot slot-pending" role="note">⟨reasoning pending: the large model has not written reasoning for this example yet⟩</span>;
          }
          if (segment.text === '') {
            // An empty slot adds nothing to the text; the marker (not part of the text) says so.
            return <span key={i} className="slot slot-empty" role="note">⟨{`{{${segment.name}}}`} is empty for this example⟩</span>;
          }
          return <mark key={i} className={`slot slot-${segment.name}`} dir="auto" title={`{{${segment.name}}}`}>{segment.text}</mark>;
        })}
      </pre>
    </article>
  );
});
