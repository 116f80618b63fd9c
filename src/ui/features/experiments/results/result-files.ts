import { predictionsCsv, predictionsJson } from '../../../../fiat/experiments/export-results.ts';
import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import { finalEvaluation } from '../../../../fiat/experiments/results.ts';
import type { Task } from '../../../../fiat/task/task.ts';
import { predictionRows } from '../../../../fiat/tuning/prediction-rows.ts';
import { runLabel } from './result-cells.ts';

/**
 * File names and the predictions' files of the results exports (pure). A run's predictions are those of its final
 * evaluation, as the tables count them.
 */

/** A name safe as a file name on every OS: letters, digits, dot, dash and underscore; the rest become dashes. */
export function fileSafe(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return safe === '' ? 'experiment' : safe.slice(0, 80);
}

/** The run's name in its files: its label and its place in the queue (two runs never share one). */
export function runFileName(run: FinishedRun, index: number): string {
  return `${String(index + 1).padStart(2, '0')}-${fileSafe(runLabel(run))}`;
}

export interface RunPredictionFiles {
  readonly csv: string;
  readonly json: string;
}

/** One run's predictions (its final evaluation) as CSV and JSON; null when it has no evaluation. */
export function runPredictionFiles(run: FinishedRun, task: Task): RunPredictionFiles | null {
  const final = finalEvaluation(run.evaluations);
  if (!final) return null;
  const rows = predictionRows(final.evaluation, task.spec, task.examples);
  return { csv: predictionsCsv(rows), json: predictionsJson({ name: runLabel(run), rows }) };
}

/** Every run's predictions, one CSV and one JSON each, by file name (for a zip). */
export function allPredictionFiles(runs: readonly FinishedRun[], task: Task): Record<string, string> {
  const files: Record<string, string> = {};
  runs.forEach((run, i) => {
    const made = runPredictionFiles(run, task);
    if (!made) return;
    const name = runFileName(run, i);
    files[`${name}.csv`] = made.csv;
    files[`${name}.json`] = made.json;
  });
  return files;
}
