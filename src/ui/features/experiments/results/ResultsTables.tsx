import { useId, type ReactNode } from 'react';
import { TableScroll } from '../../../components/TableScroll.tsx';
import type { Aggregate, LanguageTable, MetricSpreads, ResultsTable } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';
import { groupCaption, methodName, metricTitle, spreadCell } from './result-cells.ts';

/**
 * The results in the paper's layout (its Tables 2 and 3): one table per model × I_τ version × training-set size, rows
 * = methods by the paper's names, columns = each metric overall (every example pooled) and macro (the mean over
 * languages); then, collapsed, the per-language tables. Cells carry their raw mean (`data-mean`, a fraction) so a test
 * can check them against predictions without parsing the text.
 */
export function ResultsTables({ tables, languageTables }: { tables: readonly ResultsTable[]; languageTables: readonly LanguageTable[] }) {
  return (
    <div className="experiment-results-tables">
      {tables.map((t) => (
        <MethodTable key={groupKey(t)} table={t} />
      ))}
      {languageTables.length > 0 && (
        <details className="experiment-language-tables">
          <summary>Per-language results</summary>
          {languageTables.map((t) => (
            <LanguageResultsTable key={groupKey(t)} table={t} />
          ))}
        </details>
      )}
    </div>
  );
}

const groupKey = (t: ResultsTable | LanguageTable) => `${t.group.model}|${t.group.tau.hash}|${t.group.size}`;

const SPREAD_NOTE = '×100, mean ± sd over seeds (runs)';

const AGGREGATES: readonly { id: Aggregate; label: string }[] = [
  { id: 'overall', label: 'Overall' },
  { id: 'macro', label: 'Macro' },
];

function Cell({ spreads, metric, aggregate, lang }: { spreads: MetricSpreads; metric: MetricName; aggregate?: Aggregate; lang?: string }) {
  const spread = spreads[metric];
  const cell = spreadCell(spread, metric);
  return (
    <td title={cell.title} data-metric={metric} data-aggregate={aggregate} data-lang={lang} data-mean={spread?.mean ?? undefined} data-n={spread?.n}>
      {cell.text}
    </td>
  );
}

function MethodTable({ table }: { table: ResultsTable }) {
  return (
    <MethodsTable
      className="experiment-results-table"
      caption={`Results: ${groupCaption(table.group)} (${SPREAD_NOTE})`}
      columns={table.metrics.map((m) => ({ label: metricTitle(m), subs: AGGREGATES.map((a) => a.label) }))}
      rows={table.rows.map((row) => ({
        method: row.method,
        cells: table.metrics.flatMap((m) => AGGREGATES.map((a) => <Cell key={`${m}-${a.id}`} spreads={row[a.id]} metric={m} aggregate={a.id} />)),
      }))}
    />
  );
}

function LanguageResultsTable({ table }: { table: LanguageTable }) {
  const one = table.metrics.length === 1;
  return (
    <MethodsTable
      className="experiment-language-table"
      caption={`Per language: ${groupCaption(table.group)} (${one ? `${metricTitle(table.metrics[0]!)}, ` : ''}${SPREAD_NOTE})`}
      columns={table.languages.map((lang) => ({ label: lang, subs: one ? [] : table.metrics.map(metricTitle) }))}
      rows={table.rows.map((row) => ({
        method: row.method,
        cells: table.languages.flatMap((lang) => table.metrics.map((m) => <Cell key={`${lang}-${m}`} spreads={row.languages[lang] ?? {}} metric={m} lang={lang} />)),
      }))}
    />
  );
}

/**
 * A table of methods: a header of column groups (a metric, a language), each over its sub-columns when it has any
 * (overall / macro, the metrics), then one row per method headed by its paper name (`data-method`: its id).
 */
function MethodsTable({
  caption,
  className,
  columns,
  rows,
}: {
  caption: string;
  className: string;
  columns: readonly { label: string; subs: readonly string[] }[];
  rows: readonly { method: string; cells: ReactNode[] }[];
}) {
  const captionId = useId();
  const twoLevels = columns.some((c) => c.subs.length > 0);
  return (
    <TableScroll label={caption}>
      <table className={`metrics-table ${className}`} aria-labelledby={captionId}>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={twoLevels ? 2 : 1}>
              Method
            </th>
            {columns.map((c, i) => (
              <th scope={twoLevels ? 'colgroup' : 'col'} colSpan={Math.max(1, c.subs.length)} key={i}>
                {c.label}
              </th>
            ))}
          </tr>
          {twoLevels && (
            <tr>
              {columns.flatMap((c, i) =>
                c.subs.map((sub) => (
                  <th scope="col" key={`${i}-${sub}`}>
                    {sub}
                  </th>
                )),
              )}
            </tr>
          )}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.method} data-method={row.method}>
              <th scope="row">{methodName(row.method)}</th>
              {row.cells}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
