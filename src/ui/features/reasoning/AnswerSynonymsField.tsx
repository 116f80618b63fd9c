import { useId, useState } from 'react';
import { formatSynonyms, parseSynonyms } from '../../../fiat/reasoning/answer-synonyms.ts';
import type { Label, Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';

/**
 * Answers in other words: per label of a classification task, the words besides its verbalizer that
 * read as that label when the answer pattern's capture is turned into a prediction ("yes" for
 * supported). Nothing for extractive QA.
 */
export function AnswerSynonymsField({ task }: { task: Task }) {
  if (task.spec.kind !== 'classification') return null;
  const { labels } = task.spec;
  return (
    <section className="reasoning-section" aria-labelledby="answer-synonyms-heading">
      <h3 id="answer-synonyms-heading">Answers in other words</h3>
      <p className="panel-hint">Words the large model may answer with instead of a label, comma-separated (any language); they are read as that label.</p>
      {labels.map((label) => (
        <SynonymsInput key={`${task.id}:${label.value}`} label={label} labels={labels} />
      ))}
    </section>
  );
}

/**
 * One label's synonyms. What the user types stays in the field; it reaches the project only when it
 * reads (parseSynonyms), otherwise the field says why. A draft is shown only while the project still
 * holds the words it was typed over, so a change from elsewhere (a restored project) shows through.
 */
function SynonymsInput({ label, labels }: { label: Label; labels: readonly Label[] }) {
  const words = useTaskSetup((t) => t.answerSynonyms[label.value]);
  const synonyms = useTaskSetup((t) => t.answerSynonyms);
  const setAnswerSynonyms = useStudio((s) => s.setAnswerSynonyms);
  const [draft, setDraft] = useState<{ text: string; basis: readonly string[] | undefined } | null>(null);
  const messageId = useId();
  const live = draft !== null && draft.basis === words ? draft : null;
  const checked = live ? parseSynonyms(live.text, label.value, labels, synonyms) : null;
  const error = checked && !checked.ok ? checked.error : null;
  const onChange = (text: string) => {
    const read = parseSynonyms(text, label.value, labels, synonyms);
    if (read.ok) setAnswerSynonyms(label.value, read.value);
    setDraft({ text, basis: read.ok ? read.value : words });
  };
  return (
    <>
      <label className="stacked">
        Words read as {label.verbalizer}
        <input
          type="text"
          spellCheck={false}
          value={live ? live.text : formatSynonyms(words ?? [])}
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : messageId}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      {error !== null && (
        <p id={messageId} role="alert" className="field-error">
          {error}
        </p>
      )}
    </>
  );
}
