import { useId } from 'react';
import { DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../fiat/reasoning/answer-pattern.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';
import { useAnswerPattern } from './useTaskReasoning.ts';

/**
 * The answer pattern: a regular expression whose capture group is the large model's final answer.
 * What the user types is kept even when it does not compile; the field says why, and nothing is
 * parsed with it until it does.
 */
export function AnswerPatternField() {
  const { source, caseSensitive } = useTaskSetup((t) => t.answerPattern);
  const setAnswerPattern = useStudio((s) => s.setAnswerPattern);
  const compiled = useAnswerPattern();
  const messageId = useId();
  const isDefault = source === DEFAULT_ANSWER_PATTERN_SETTINGS.source && caseSensitive === DEFAULT_ANSWER_PATTERN_SETTINGS.caseSensitive;
  return (
    <section className="reasoning-section" aria-labelledby="answer-pattern-heading">
      <h3 id="answer-pattern-heading">Final answer</h3>
      <label className="stacked">
        Answer pattern (regular expression; its capture group is the final answer, the last match wins)
        <input
          type="text"
          spellCheck={false}
          value={source}
          aria-invalid={!compiled.ok}
          aria-describedby={compiled.ok ? undefined : messageId}
          onChange={(e) => setAnswerPattern({ source: e.target.value })}
        />
      </label>
      {!compiled.ok && (
        <p id={messageId} role="alert" className="field-error">
          {compiled.message}
        </p>
      )}
      <div className="row-actions">
        <label className="checkbox-line">
          <input type="checkbox" checked={caseSensitive} onChange={(e) => setAnswerPattern({ caseSensitive: e.target.checked })} />
          Case-sensitive
        </label>
        <button type="button" disabled={isDefault} onClick={() => setAnswerPattern({ ...DEFAULT_ANSWER_PATTERN_SETTINGS })}>
          Reset to default
        </button>
      </div>
    </section>
  );
}
