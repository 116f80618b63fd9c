import { type Exemplar, exemplarOutput } from '../../../fiat/exemplars/exemplars.ts';
import type { TaskSpec } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';

interface ExemplarCardProps {
  exemplar: Exemplar;
  position: number;
  count: number;
  spec: TaskSpec;
  languages: readonly string[];
}

/** One exemplar: its example (read-only), hand-written reasoning, label and language scope. */
export function ExemplarCard({ exemplar, position, count, spec, languages }: ExemplarCardProps) {
  const update = useStudio((s) => s.updateExemplar);
  const remove = useStudio((s) => s.removeExemplar);
  const move = useStudio((s) => s.moveExemplar);
  const n = position + 1;
  const scopes = exemplar.lang !== null && !languages.includes(exemplar.lang) ? [...languages, exemplar.lang] : languages;
  return (
    <li className="exemplar-card" aria-label={`Exemplar ${n}`}>
      <header className="exemplar-header">
        <strong>Exemplar {n}</strong>
        <span className="muted">{exemplar.exampleId ?? 'written by hand'}</span>
        <span className="row-actions">
          <button type="button" onClick={() => move(exemplar.id, -1)} disabled={position === 0} aria-label={`Move exemplar ${n} up`}>↑</button>
          <button type="button" onClick={() => move(exemplar.id, 1)} disabled={position === count - 1} aria-label={`Move exemplar ${n} down`}>↓</button>
          <button type="button" onClick={() => remove(exemplar.id)} aria-label={`Remove exemplar ${n}`}>Remove</button>
        </span>
      </header>
      <details>
        <summary className="exemplar-question">
          <bdi>{exemplar.question}</bdi>
        </summary>
        <p className="exemplar-passage" dir="auto">
          {exemplar.passage}
        </p>
        {spec.kind === 'classification' && (
          <p>
            <strong>Answer judged:</strong> <bdi>{exemplar.answer}</bdi>
          </p>
        )}
      </details>
      <label className="stacked">
        Reasoning for exemplar {n}
        <textarea
          rows={4}
          dir="auto"
          value={exemplar.reasoning}
          placeholder="Write the step-by-step reasoning you want the large model to imitate."
          onChange={(e) => update(exemplar.id, { reasoning: e.target.value })}
        />
      </label>
      <div className="exemplar-fields">
        {spec.kind === 'classification' ? (
          <label>
            Label
            <select value={exemplar.label} onChange={(e) => update(exemplar.id, { label: e.target.value })}>
              {spec.labels.map((l) => <option key={l.value} value={l.value}>{l.verbalizer}</option>)}
            </select>
          </label>
        ) : (
          <label>
            Answer (empty: {spec.noAnswer})
            <input dir="auto" value={exemplar.label} onChange={(e) => update(exemplar.id, { label: e.target.value })} />
          </label>
        )}
        <label>
          Used for
          <select value={exemplar.lang ?? ''} onChange={(e) => update(exemplar.id, { lang: e.target.value === '' ? null : e.target.value })}>
            <option value="">every language</option>
            {scopes.map((l) => <option key={l} value={l}>{l} questions only</option>)}
          </select>
        </label>
        <span className="muted">
          Output: <bdi>{exemplarOutput(exemplar, spec)}</bdi>
        </span>
      </div>
    </li>
  );
}
