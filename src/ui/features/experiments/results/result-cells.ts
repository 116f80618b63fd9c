import { METHODS } from '../../../../fiat/experiments/methods.ts';
import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import type { ResultGroup, Spread } from '../../../../fiat/experiments/results.ts';
import type { MetricName } from '../../../../fiat/task/task.ts';
import { METRIC_TITLES } from '../../tuning/metric-format.ts';

/**
 * How the results views name and print things: methods by the paper's names in the catalogue's order, a table's group
 * as a caption, a run as a line, and a cell as the paper prints it ("mean ± sd (n)", percentages with one decimal).
 */

/** Method ids in the catalogue's order: the order of a results table's rows. */
export const METHOD_ORDER: readonly string[] = METHODS.map((m) => m.id);

/** The paper's name of a method; an id the catalogue does not know is shown as it is. */
export function methodName(id: string): string {
  return METHODS.find((m) => m.id === id)?.paperName ?? id;
}

export function metricTitle(metric: MetricName): string {
  return METRIC_TITLES[metric];
}

export function groupCaption(group: ResultGroup): string {
  return `${group.model} · I_τ ${group.tau.label || group.tau.hash.slice(0, 8)} · ${group.size} training examples`;
}

/** A finished run in one line: method, seed, size, I_τ version (ICL's result is the same for every seed and size). */
export function runLabel(run: FinishedRun): string {
  const { method, seed, size, tau, trains } = run.spec;
  const name = methodName(method);
  return trains ? `${name} · seed ${seed} · ${size} ex · I_τ ${tau.label || tau.hash.slice(0, 8)}` : `${name} (no training)`;
}

export interface CellText {
  readonly text: string;
  /** Why the cell is empty, or what its numbers are over. */
  readonly title: string;
}

const percent = (value: number) => (value * 100).toFixed(1);

/**
 * A results cell: "mean ± sd (n)" ×100, "mean (1)" for one run (no spread), "–" with the reason when no run of the
 * method defines the value (`undefined`: the metric is not among those its runs report).
 */
export function spreadCell(spread: Spread | undefined, metric: MetricName): CellText {
  const name = metricTitle(metric);
  if (!spread) return { text: '–', title: `The runs of this method report no ${name}.` };
  if (spread.mean === null) {
    return {
      text: '–',
      title: `${name} is undefined for every run of this method (nothing scored: text answers such as ICL's have no label probabilities, or no example of it was evaluated).`,
    };
  }
  const runs = `${spread.n} ${spread.n === 1 ? 'run' : 'runs'}`;
  if (spread.sd === null) return { text: `${percent(spread.mean)} (${spread.n})`, title: `${name} of ${runs}: no spread over one run.` };
  return { text: `${percent(spread.mean)} ± ${percent(spread.sd)} (${spread.n})`, title: `${name}: mean ± sample standard deviation over ${runs}.` };
}
