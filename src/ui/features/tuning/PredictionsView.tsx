import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState } from 'react';
import type { Task } from '../../../fiat/task/task.ts';
import { filterPredictionRows, predictionRows, type PredictionRow } from '../../../fiat/tuning/prediction-rows.ts';
import { useStudio } from '../../state/store.ts';
import { evaluationTitle } from '../../../fiat/tuning/evaluation-record.ts';
import { MetricsTable } from './MetricsTable.tsx';
import type { RunEvaluation } from './run-store.ts';

const ROW_HEIGHT = 64;

/**
 * One evaluation of a run (its own at a step, or one made after it: evaluation-record.ts names it): its metrics table and its predictions beside the gold, filterable to the wrong ones and
 * by language. Choosing a prediction selects its example in the studio, so the example view shows it. Model output
 * is rendered as text only (React escapes it), never as HTML.
 */
export function PredictionsView({ evaluation, task }: { evaluation: RunEvaluation; task: Task }) {
  const rows = useMemo(() => predictionRows(evaluation.evaluation, task.spec, task.examples), [evaluation, task]);
  const languages = evaluation.evaluation.report.languages.map((l) => l.lang);
  const [wrongOnly, setWrongOnly] = useState(false);
  const [lang, setLang] = useState<string | null>(null);
  const shown = useMemo(() => filterPredictionRows(rows, { wrongOnly, lang }), [rows, wrongOnly, lang]);
  const headingId = useId();
  const title = evaluationTitle(evaluation);

  return (
    <section className="predictions-view" aria-labelledby={headingId}>
      <h4 id={headingId}>{title.heading}</h4>
      <MetricsTable report={evaluation.evaluation.report} caption={title.caption} />
      <div className="predictions-filters" role="group" aria-label="Prediction filters">
        <label>
          <input type="checkbox" checked={wrongOnly} onChange={(e) => setWrongOnly(e.target.checked)} /> Wrong only
        </label>
        <label>
          Language{' '}
          <select value={lang ?? ''} onChange={(e) => setLang(e.target.value === '' ? null : e.target.value)}>
            <option value="">All languages</option>
            {languages.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" aria-live="polite">
          {shown.length} of {rows.length} predictions
        </span>
      </div>
      <PredictionList rows={shown} />
    </section>
  );
}

function PredictionList({ rows }: { rows: readonly PredictionRow[] }) {
  const selectedId = useStudio((s) => s.project.settings.selectedExampleId);
  const selectExample = useStudio((s) => s.selectExample);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The studio does not use the React Compiler; the virtualizer re-renders this list on scroll by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });

  if (rows.length === 0) return <p className="empty">No prediction matches these filters.</p>;
  return (
    <div ref={scrollRef} className="prediction-list">
      <ul aria-label="Predictions" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <li key={row.exampleId} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
              <button
                type="button"
                className={row.exampleId === selectedId ? 'prediction-row selected' : 'prediction-row'}
                aria-pressed={row.exampleId === selectedId}
                data-correct={row.correct}
                onClick={() => selectExample(row.exampleId)}
              >
                <span className="example-meta">
                  <span className={row.correct ? 'tag tag-agrees' : 'tag tag-disagrees'}>{row.correct ? '✓ right' : '✗ wrong'}</span>
                  <span className="tag">{row.lang}</span>
                  <span className="muted example-id">{row.exampleId}</span>
                </span>
                <span className="example-question" dir="auto" lang={row.lang}>
                  {row.question ?? '(this example is no longer in the task)'}
                </span>
                <RowOutcome row={row} />
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The prediction beside the gold: the label and every label's probability, or the answer with EM and F1. */
function RowOutcome({ row }: { row: PredictionRow }) {
  if (row.kind === 'classification') {
    const gold = row.probabilities.find((p) => p.value === row.gold)?.verbalizer ?? row.gold;
    // Each probability is shown to 0.1% and carried whole in <data value>, so a reader (or a test) can rank by it.
    return (
      <span className="prediction-outcome">
        predicted <q dir="auto">{row.predictedVerbalizer ?? 'no label'}</q> · gold <q dir="auto">{gold || '—'}</q>
        {row.probabilities.map((p) => (
          <span key={p.value} className="muted">
            {' · '}
            <data value={p.probability} data-label={p.verbalizer}>
              {p.verbalizer} {(p.probability * 100).toFixed(1)}%
            </data>
          </span>
        ))}
      </span>
    );
  }
  return (
    <span className="prediction-outcome">
      answered {row.answer === null ? <em>no answer</em> : <q dir="auto">{row.answer}</q>} · gold{' '}
      {row.gold === null ? <em>no answer</em> : <q dir="auto">{row.gold}</q>}
      <span className="muted">
        {' '}
        · EM {row.exactMatch} · F1 {(row.tokenF1 * 100).toFixed(1)}
      </span>
    </span>
  );
}
