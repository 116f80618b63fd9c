import type { Example, TaskSpec } from '../task/task.ts';
import type { Evaluation } from '../tuning/evaluate.ts';
import { predictionRows, type PredictionRow } from '../tuning/prediction-rows.ts';

/**
 * Two runs' predictions side by side, one row per example both evaluated (in run A's order): both outputs, the gold,
 * right or wrong for each (the reports' verdicts: the label chosen, or SQuAD exact match), and whether the outputs
 * differ. Outputs are compared as the model wrote them ("Nile" and "the Nile" differ, though both may be right).
 */

export interface CompareSide {
  /** The chosen label's verbalizer, or the generated answer (null: no answer). */
  readonly output: string | null;
  readonly right: boolean;
  /** Extractive QA: the token F1. */
  readonly tokenF1?: number;
}

export interface CompareRow {
  readonly exampleId: string;
  readonly lang: string;
  readonly question: string | null;
  /** The gold label's verbalizer, or the gold answer (null: the passage has none). */
  readonly gold: string | null;
  readonly a: CompareSide;
  readonly b: CompareSide;
  readonly differ: boolean;
}

export interface Comparison {
  readonly rows: readonly CompareRow[];
  /** Examples only one of the runs evaluated (another validation sample): not compared. */
  readonly onlyInA: number;
  readonly onlyInB: number;
}

export type CompareFilter = 'all' | 'differ' | 'only-a-right' | 'only-b-right';

function side(row: PredictionRow): CompareSide {
  if (row.kind === 'classification') return { output: row.predictedVerbalizer, right: row.correct };
  return { output: row.answer, right: row.correct, tokenF1: row.tokenF1 };
}

function goldText(row: PredictionRow, spec: TaskSpec): string | null {
  if (row.kind === 'extractive-qa') return row.gold;
  const label = spec.kind === 'classification' ? spec.labels.find((l) => l.value === row.gold) : undefined;
  return label?.verbalizer ?? row.gold;
}

export function compareRuns(a: Evaluation, b: Evaluation, spec: TaskSpec, examples: readonly Example[]): Comparison {
  const rowsB = new Map(predictionRows(b, spec, examples).map((r) => [r.exampleId, r]));
  const rows: CompareRow[] = [];
  let onlyInA = 0;
  for (const rowA of predictionRows(a, spec, examples)) {
    const rowB = rowsB.get(rowA.exampleId);
    if (!rowB) {
      onlyInA++;
      continue;
    }
    const [sideA, sideB] = [side(rowA), side(rowB)];
    rows.push({ exampleId: rowA.exampleId, lang: rowA.lang, question: rowA.question, gold: goldText(rowA, spec), a: sideA, b: sideB, differ: sideA.output !== sideB.output });
  }
  return { rows, onlyInA, onlyInB: rowsB.size - rows.length };
}

export function filterComparison(rows: readonly CompareRow[], filter: CompareFilter): CompareRow[] {
  switch (filter) {
    case 'all':
      return [...rows];
    case 'differ':
      return rows.filter((r) => r.differ);
    case 'only-a-right':
      return rows.filter((r) => r.a.right && !r.b.right);
    case 'only-b-right':
      return rows.filter((r) => r.b.right && !r.a.right);
  }
}
