import { useCallback, useId, useMemo } from 'react';
import { distinctRuns, finishedRuns, type Experiment, type ExperimentResult, type FinishedRun } from '../../../../fiat/experiments/queue.ts';
import { languageTables as toLanguageTables, resultsTables } from '../../../../fiat/experiments/results.ts';
import type { MetricName, Task } from '../../../../fiat/task/task.ts';
import { GainPlot } from './GainPlot.tsx';
import { METHOD_ORDER } from './result-cells.ts';
import { ResultsExports } from './ResultsExports.tsx';
import { ResultsTables } from './ResultsTables.tsx';
import { RunComparison } from './RunComparison.tsx';
import { SizePlot } from './SizePlot.tsx';
import { StepsPlot } from './StepsPlot.tsx';

/**
 * An experiment's results (issue 20), from its finished queue items and their stored results: the tables in the
 * paper's layout, the plots (metric over steps, gain per language, metric by size), two runs side by side, and the
 * exports. Props only: the session that runs the queue owns the experiment and its results.
 */
export function ResultsSection({ task, experiment, results }: { task: Task; experiment: Experiment; results: ReadonlyMap<string, ExperimentResult> }) {
  const headingId = useId();
  // One run per method and result: ICL's cells share one (the tables count it once too).
  const runs = useMemo(() => distinctRuns(finishedRuns(experiment, results)), [experiment, results]);
  const tables = useMemo(() => resultsTables(runs, METHOD_ORDER), [runs]);
  const languageTables = useMemo(() => toLanguageTables(runs, METHOD_ORDER), [runs]);
  // The result's own run made the checkpoints its numbers come from (a reused item points at it too).
  const runIdOf = useCallback((run: FinishedRun) => results.get(run.item.key)?.runId ?? run.item.runId, [results]);
  const metrics = useMemo(() => [...new Set<MetricName>(tables.flatMap((t) => t.metrics))], [tables]);
  return (
    <section className="experiment-results" aria-labelledby={headingId}>
      <h3 id={headingId}>Results</h3>
      {runs.length === 0 ? (
        <p className="muted">No run of this experiment has finished yet: results show here as runs finish.</p>
      ) : (
        <>
          <ResultsTables tables={tables} languageTables={languageTables} />
          <StepsPlot runs={runs} metrics={metrics} />
          <GainPlot tables={languageTables} />
          <SizePlot tables={tables} />
          <RunComparison runs={runs} task={task} />
          <ResultsExports task={task} experiment={experiment} runs={runs} tables={tables} languageTables={languageTables} runIdOf={runIdOf} />
        </>
      )}
    </section>
  );
}
