import { useMemo, useState } from 'react';
import { buildImportedTask, choicesProblem, type ImportChoices, type ImportOutcome } from '../../../fiat/dataset/import.ts';
import { FIELD_DESCRIPTIONS, fieldsFor, requiredFields, type ExampleField } from '../../../fiat/dataset/mapping.ts';
import type { ParsedFile } from '../../../fiat/dataset/records.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import { labelsFrom } from './initial-choices.ts';
import { IssueList } from './IssueList.tsx';

interface MappingStepProps {
  parsed: ParsedFile;
  initial: ImportChoices;
  saving: boolean;
  onImport: (outcome: ImportOutcome) => void;
}

/** Map the file's columns to example fields, choose the task kind and labels, see what would import. */
export function MappingStep({ parsed, initial, saving, onImport }: MappingStepProps) {
  // The name is kept apart so that typing it does not re-validate the whole file.
  const [name, setName] = useState(initial.name);
  const [shape, setShape] = useState(initial);
  const choices = { ...shape, name };
  const change = (patch: Partial<ImportChoices>) => setShape((c) => ({ ...c, ...patch }));
  const setColumn = (field: ExampleField, column: string) => {
    const mapping = { ...choices.mapping, [field]: column === '' ? null : column };
    change(field === 'label' ? { mapping, labels: labelsFrom(parsed, mapping.label, choices.labels) } : { mapping });
  };
  const outcome = useMemo(() => buildImportedTask(parsed, { ...shape, name: 'preview' }, 'preview', new Date()), [parsed, shape]);
  const problem = choicesProblem(choices);
  const required = requiredFields(choices.kind);

  return (
    <form
      className="mapping-step"
      aria-label="Map fields"
      onSubmit={(e) => {
        e.preventDefault();
        const built = buildImportedTask(parsed, choices, newId('imported:'), new Date());
        if (built.ok) onImport(built.value);
      }}
    >
      <p>
        Read {parsed.format === 'jsonl' ? 'JSON Lines' : 'CSV'}: {parsed.records.length.toLocaleString()} rows, columns{' '}
        {parsed.columns.map((c) => <code key={c}>{c} </code>)}
      </p>
      <label className="stacked">
        Task name
        <input value={choices.name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <fieldset className="kind-choice">
        <legend>Task kind</legend>
        {(['classification', 'extractive-qa'] as TaskKind[]).map((kind) => (
          <label key={kind}>
            <input type="radio" name="kind" value={kind} checked={choices.kind === kind} onChange={() => change({ kind })} />
            {kind === 'classification' ? 'Classification (judge an answer: labels)' : 'Extractive QA (answer span or "no answer")'}
          </label>
        ))}
      </fieldset>
      <fieldset className="field-mapping">
        <legend>Columns</legend>
        {fieldsFor(choices.kind).map((field) => (
          <label key={field} title={FIELD_DESCRIPTIONS[field]}>
            {field}
            {required.includes(field) ? ' *' : ''}
            <select value={choices.mapping[field] ?? ''} onChange={(e) => setColumn(field, e.target.value)}>
              <option value="">(not in file)</option>
              {parsed.columns.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
        ))}
      </fieldset>
      {choices.kind === 'classification' && choices.labels.length > 0 && (
        <fieldset className="labels">
          <legend>Label verbalizers (what the models write for each label)</legend>
          {choices.labels.map((label, i) => (
            <label key={label.value}>
              <code>{label.value}</code>
              <input
                value={label.verbalizer}
                aria-label={`Verbalizer for label ${label.value}`}
                onChange={(e) => change({ labels: choices.labels.map((l, j) => (j === i ? { ...l, verbalizer: e.target.value } : l)) })}
              />
            </label>
          ))}
        </fieldset>
      )}
      {choices.kind === 'extractive-qa' && (
        <label className="stacked">
          No-answer text
          <input value={choices.noAnswer} onChange={(e) => change({ noAnswer: e.target.value })} />
        </label>
      )}
      <div className="two-columns">
        <label className="stacked">
          Source (optional)
          <input value={choices.source ?? ''} onChange={(e) => change({ source: e.target.value })} />
        </label>
        <label className="stacked">
          Licence (optional)
          <input value={choices.licence ?? ''} onChange={(e) => change({ licence: e.target.value })} />
        </label>
      </div>
      <section aria-label="Validation" className="validation">
        {problem !== undefined ? (
          <p role="alert">{problem}</p>
        ) : outcome.ok ? (
          <p>{outcome.value.task.examples.length.toLocaleString()} rows will be imported.</p>
        ) : (
          <p role="alert">{outcome.error}</p>
        )}
        <IssueList issues={outcome.ok ? outcome.value.issues : parsed.issues} />
      </section>
      <button type="submit" disabled={problem !== undefined || !outcome.ok || saving}>
        {outcome.ok ? `Import ${outcome.value.task.examples.length.toLocaleString()} examples` : 'Import'}
      </button>
    </form>
  );
}
