import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  choicesProblem,
  conversionOf,
  conversionProblem,
  type ImportChoices,
  importedTask,
  type ImportOutcome,
} from '../../../fiat/dataset/import.ts';
import { countLabelValues } from '../../../fiat/dataset/labels.ts';
import { FIELD_DESCRIPTIONS, fieldsFor, requiredFields, type ExampleField } from '../../../fiat/dataset/mapping.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import { importQueries, type ReadFile } from './import-queries.ts';
import { labelsFrom } from './initial-choices.ts';
import { IssueList } from './IssueList.tsx';
import { LabelValuesTable } from './LabelValuesTable.tsx';

interface MappingStepProps {
  file: ReadFile;
  initial: ImportChoices;
  saving: boolean;
  onImport: (outcome: ImportOutcome) => void;
}

/** Map the file's columns to example fields, choose the task kind and classes, see what would import. */
export function MappingStep({ file, initial, saving, onImport }: MappingStepProps) {
  const { parsed } = file;
  const [choices, setChoices] = useState(initial);
  const change = (patch: Partial<ImportChoices>) => setChoices((c) => ({ ...c, ...patch }));
  // One pass over the rows per label column, not per keystroke.
  const found = useMemo(() => countLabelValues(parsed, choices.mapping.label), [parsed, choices.mapping.label]);
  const setColumn = (field: ExampleField, column: string) => {
    const mapping = { ...choices.mapping, [field]: column === '' ? null : column };
    if (field !== 'label') return change({ mapping });
    change({ mapping, labels: labelsFrom(countLabelValues(parsed, mapping.label), choices.labels), labelAliases: {} });
  };
  const unconvertible = conversionProblem(choices);
  const conversion = useQuery({ ...importQueries.conversion(file, conversionOf(choices)), enabled: unconvertible === undefined });
  const converted = unconvertible === undefined ? conversion.data : undefined;
  const outcome = converted && importedTask(converted, { ...choices, name: 'preview' }, 'preview', new Date());
  const problem = choicesProblem(choices);
  const required = requiredFields(choices.kind);

  return (
    <form
      className="mapping-step"
      aria-label="Map fields"
      onSubmit={(e) => {
        e.preventDefault();
        if (!converted) return;
        const built = importedTask(converted, choices, newId('imported:'), new Date());
        if (built.ok) onImport(built.value);
      }}
    >
      <p>
        Read {parsed.format === 'jsonl' ? 'JSON Lines' : 'CSV'}: {parsed.records.length.toLocaleString()} rows, columns{' '}
        {parsed.columns.map((c) => <code key={c}>{c} </code>)}
      </p>
      <label className="stacked">
        Task name
        <input value={choices.name} onChange={(e) => change({ name: e.target.value })} required />
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
      {choices.kind === 'classification' && choices.mapping.label !== null && (
        <LabelValuesTable
          column={choices.mapping.label}
          found={found}
          labels={choices.labels}
          aliases={choices.labelAliases}
          onChange={(labels, labelAliases) => change({ labels, labelAliases })}
        />
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
        {problem !== undefined && <p role="alert">{problem}</p>}
        {unconvertible === undefined && !converted && (
          <p role="status">
            {conversion.isError ? `Could not check the rows: ${conversion.error.message}` : `Checking ${parsed.records.length.toLocaleString()} rows…`}
          </p>
        )}
        {problem === undefined && outcome && (outcome.ok ? <p>{outcome.value.task.examples.length.toLocaleString()} rows will be imported.</p> : <p role="alert">{outcome.error}</p>)}
        <IssueList issues={converted?.issues ?? parsed.issues} />
      </section>
      <button type="submit" disabled={problem !== undefined || !outcome?.ok || saving}>
        {outcome?.ok ? `Import ${outcome.value.task.examples.length.toLocaleString()} examples` : 'Import'}
      </button>
    </form>
  );
}
