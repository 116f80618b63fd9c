import { useMemo } from 'react';
import type { TaskKind } from '../../../fiat/task/task.ts';
import { BUDGET_PARTS, type BudgetPart, type BudgetReport, type ExampleBudget, histogram } from '../../../fiat/training-set/token-budget.ts';

const PART_NAMES: Record<BudgetPart, string> = {
  instruction: 'I_τ’s text',
  question: 'question',
  passage: 'passage',
  candidate: 'judged answer',
  reasoning: 'reasoning',
  answer: 'answer',
  other: 'other',
};

/** Rows of the longest-examples table. */
const LONGEST = 10;

interface TokenBudgetViewProps {
  report: BudgetReport;
  kind: TaskKind;
  /** null: counted in characters (no small model loaded). */
  tokenizerName: string | null;
  /** A newer count is under way. */
  stale: boolean;
  /** How far it is ("1,200 of 7,645"), once it has said. */
  counting: string | null;
}

/**
 * The training set against the sequence length: what would be cut and left out, a histogram of the examples'
 * lengths, and the longest examples with their parts. In characters, and without cuts, while no small model is loaded.
 */
export function TokenBudgetView({ report, kind, tokenizerName, stale, counting }: TokenBudgetViewProps) {
  const unit = tokenizerName ? 'tokens' : 'characters';
  const totals = useMemo(() => report.examples.map((e) => e.total), [report]);
  const longest = useMemo(() => [...report.examples].sort((a, b) => b.total - a.total).slice(0, LONGEST), [report]);
  const edge = tokenizerName ? report.seqLen : Math.max(1, ...totals);
  const bins = useMemo(() => histogram(totals, edge), [totals, edge]);
  const most = Math.max(1, ...bins.map((b) => b.count));
  const parts = BUDGET_PARTS.filter((p) => p !== 'candidate' || kind === 'classification');

  return (
    <div className="token-budget" aria-busy={stale}>
      <h4>Length budget{stale ? ` (counting again…${counting ? ` ${counting}` : ''})` : ''}</h4>
      {tokenizerName ? (
        <p role="group" aria-label="Budget summary">
          {report.over === 0 ? (
            `All ${report.examples.length.toLocaleString()} examples fit in ${report.seqLen} tokens (${tokenizerName}).`
          ) : (
            <>
              <strong>
                {report.cut.toLocaleString()} of {report.examples.length.toLocaleString()}
              </strong>{' '}
              would be cut to fit {report.seqLen} tokens: passage shortened by {Math.round(report.meanRemoved).toLocaleString()} tokens on average;{' '}
              <strong>{report.leftOut.toLocaleString()}</strong> left out (too long even without a passage). Tokens by {tokenizerName}.
            </>
          )}
        </p>
      ) : (
        <p role="group" aria-label="Budget summary">
          Counted in <strong>characters</strong>: load a small model to count tokens with its tokenizer and see what the sequence length cuts.
        </p>
      )}
      <p className="panel-hint">
        Only the passage is ever cut (at a token boundary); the instruction, question, reasoning and answer never are, so an example that does not fit
        without its passage is left out. Totals are exact ({tokenizerName ? 'the prompt with the tokenizer’s special tokens, the answer and the EOS, as training counts them' : 'characters of the prompt and the answer'}
        ); each part is counted on its own, so the parts are approximate: {unit} merge where parts meet.
      </p>
      {bins.length === 0 ? (
        <p className="muted">No example is in the training set, so there are no lengths to show and no longest examples.</p>
      ) : (
        <figure className="histogram">
          <figcaption>Examples by length ({unit})</figcaption>
          <ol>
            {bins.map((bin) => (
              <li key={bin.from} className={tokenizerName && bin.from >= report.seqLen ? 'over' : undefined}>
                <span className="histogram-range">{bin.to === null ? `${bin.from.toLocaleString()}+` : `${bin.from.toLocaleString()}–${(bin.to - 1).toLocaleString()}`}</span>
                <span className="histogram-bar" style={{ width: `${(100 * bin.count) / most}%` }} />
                <span className="histogram-count">{bin.count.toLocaleString()}</span>
              </li>
            ))}
          </ol>
        </figure>
      )}
      {longest.length > 0 && (
        <table className="budget-table">
          <caption>The {Math.min(LONGEST, longest.length)} longest examples ({unit})</caption>
          <thead>
            <tr>
              <th scope="col">example</th>
              {parts.map((p) => (
                <th key={p} scope="col">
                  {PART_NAMES[p]}
                </th>
              ))}
              <th scope="col">total</th>
              {tokenizerName && <th scope="col">to fit</th>}
            </tr>
          </thead>
          <tbody>
            {longest.map((e) => (
              <tr key={e.exampleId}>
                <th scope="row">{e.exampleId}</th>
                {parts.map((p) => (
                  <td key={p}>{e.parts[p].toLocaleString()}</td>
                ))}
                <td>{e.total.toLocaleString()}</td>
                {tokenizerName && <td>{fate(e)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function fate(e: ExampleBudget): string {
  if (e.leftOut) return `left out: ${e.leftOut}`;
  if (e.cut) return `passage −${e.cut.removed.toLocaleString()} of ${e.cut.passageTokens.toLocaleString()} → ${e.cut.total.toLocaleString()}`;
  return 'fits';
}
