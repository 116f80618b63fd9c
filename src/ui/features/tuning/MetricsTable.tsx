import type { ClassificationCounts, MetricsReport, QaCounts } from '../../../fiat/metrics/report.ts';
import { formatMetric, METRIC_TITLES } from './metric-format.ts';

/**
 * An evaluation's metrics: one row per language, then all examples pooled (overall) and the unweighted mean over
 * languages (macro, the FIAT paper's kind); values ×100, with the counts that say what they are over.
 */
export function MetricsTable({ report, caption }: { report: MetricsReport; caption: string }) {
  const languageCount = report.languages.length;
  return (
    <div className="table-scroll">
      <table className="metrics-table" aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">Language</th>
            {report.metrics.map((m) => (
              <th scope="col" key={m}>
                {METRIC_TITLES[m]}
              </th>
            ))}
            <th scope="col">Counts</th>
          </tr>
        </thead>
        <tbody>
          {report.languages.map((l) => (
            <tr key={l.lang}>
              <th scope="row">{l.lang}</th>
              {report.metrics.map((m) => (
                <td key={m}>{formatMetric(l.values[m])}</td>
              ))}
              <td>{countsText(report, l.counts)}</td>
            </tr>
          ))}
          <tr className="metrics-total">
            <th scope="row">Overall</th>
            {report.metrics.map((m) => (
              <td key={m}>{formatMetric(report.overall.values[m])}</td>
            ))}
            <td>{countsText(report, report.overall.counts)}</td>
          </tr>
          <tr className="metrics-total">
            <th scope="row">Macro average</th>
            {report.metrics.map((m) => {
              const macro = report.macro[m];
              const partial = macro && macro.languages < languageCount ? ` (${macro.languages} of ${languageCount} languages)` : '';
              return <td key={m}>{`${formatMetric(macro?.value)}${partial}`}</td>;
            })}
            <td>{`${languageCount} ${languageCount === 1 ? 'language' : 'languages'}`}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function countsText(report: MetricsReport, counts: ClassificationCounts | QaCounts): string {
  if (report.kind === 'classification') {
    const c = counts as ClassificationCounts;
    const notes = [c.noLabel > 0 ? `${c.noLabel} named no label` : '', c.unscored > 0 ? `${c.unscored} unscored` : ''].filter(Boolean);
    const positives = report.positiveLabel === null ? [] : [`${c.positives} with gold ${report.positiveLabel}`];
    return [`${c.correct} of ${c.examples} right`, ...positives, ...notes].join(' · ');
  }
  const c = counts as QaCounts;
  return [`${c.exact} of ${c.examples} exact`, `${c.noAnswerGold} without an answer`, `${c.noAnswerPredicted} answered "no answer"`].join(' · ');
}
