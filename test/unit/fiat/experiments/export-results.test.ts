// CSV and JSON exports: RFC 4180 quoting (checked as text and read back by an independent parser), the columns of each
// table, and JSON that carries the same numbers.
import Papa from 'papaparse';
import { expect, test } from 'vitest';
import { toCsv } from '../../../../src/fiat/experiments/csv.ts';
import { comparisonCsv, languageResultsCsv, predictionsCsv, predictionsJson, resultsCsv, resultsJson } from '../../../../src/fiat/experiments/export-results.ts';
import type { LanguageTable, ResultsTable } from '../../../../src/fiat/experiments/results.ts';
import { predictionRows } from '../../../../src/fiat/tuning/prediction-rows.ts';
import type { TaskSpec } from '../../../../src/fiat/task/task.ts';
import { evaluation } from './fixtures.ts';

const readBack = (csv: string) => Papa.parse<string[]>(csv, { newline: '\r\n' }).data;

test('CSV quotes a field with a comma, a quote (doubled), a line break or edge spaces; CRLF between records; null is empty', () => {
  const csv = toCsv(['a', 'b'], [['x,y', 'he said "hi"'], ['line\nbreak', ' lead'], [null, 0.1 + 0.2], [true, 'plain']]);
  expect(csv).toBe('a,b\r\n"x,y","he said ""hi"""\r\n"line\nbreak"," lead"\r\n,0.30000000000000004\r\ntrue,plain');
  expect(readBack(csv)).toEqual([['a', 'b'], ['x,y', 'he said "hi"'], ['line\nbreak', ' lead'], ['', '0.30000000000000004'], ['true', 'plain']]);
});

const group = { model: 'demo@1', tau: { label: 'v1, "short"', hash: 'h1' }, size: 100 };

test('the results table: a row per group and method, each metric\'s overall and macro mean, sd and n', () => {
  const table: ResultsTable = {
    group,
    metrics: ['accuracy', 'auc-pr'],
    rows: [
      { method: 'fiat', overall: { accuracy: { mean: 0.75, sd: 0.1, n: 2 }, 'auc-pr': { mean: 0.5, sd: 0, n: 2 } }, macro: { accuracy: { mean: 0.7, sd: 0.2, n: 2 }, 'auc-pr': { mean: 0.4, sd: 0, n: 2 } } },
      { method: 'icl', overall: { accuracy: { mean: 0.6, sd: null, n: 1 }, 'auc-pr': { mean: null, sd: null, n: 0 } }, macro: { accuracy: { mean: 0.5, sd: null, n: 1 } } },
    ],
  };
  const rows = readBack(resultsCsv([table]));
  expect(rows[0]).toEqual(['model', 'tau_version', 'tau_hash', 'size', 'method',
    'accuracy_overall_mean', 'accuracy_overall_sd', 'accuracy_overall_n', 'accuracy_macro_mean', 'accuracy_macro_sd', 'accuracy_macro_n',
    'auc-pr_overall_mean', 'auc-pr_overall_sd', 'auc-pr_overall_n', 'auc-pr_macro_mean', 'auc-pr_macro_sd', 'auc-pr_macro_n']);
  expect(rows.slice(1)).toEqual([
    ['demo@1', 'v1, "short"', 'h1', '100', 'fiat', '0.75', '0.1', '2', '0.7', '0.2', '2', '0.5', '0', '2', '0.4', '0', '2'],
    ['demo@1', 'v1, "short"', 'h1', '100', 'icl', '0.6', '', '1', '0.5', '', '1', '', '', '0', '', '', '0'],
  ]);
  const json = JSON.parse(resultsJson([table], [])) as { format: string; version: number; tables: ResultsTable[] };
  expect(json.format).toBe('fiat-studio-results');
  expect(json.tables[0]!.rows[1]!.overall['auc-pr']).toEqual({ mean: null, sd: null, n: 0 });
});

test('per-language results go out long: one row per method, language and metric', () => {
  const table: LanguageTable = {
    group,
    metrics: ['exact-match', 'token-f1'],
    languages: ['ar', 'ko'],
    rows: [{ method: 'fiat', languages: { ar: { 'exact-match': { mean: 0.5, sd: null, n: 1 }, 'token-f1': { mean: 0.625, sd: null, n: 1 } } } }],
  };
  expect(readBack(languageResultsCsv([table])).map((r) => r.slice(4))).toEqual([
    ['method', 'language', 'metric', 'mean', 'sd', 'n'],
    ['fiat', 'ar', 'exact-match', '0.5', '', '1'],
    ['fiat', 'ar', 'token-f1', '0.625', '', '1'],
    ['fiat', 'ko', 'exact-match', '', '', '0'],
    ['fiat', 'ko', 'token-f1', '', '', '0'],
  ]);
});

test('a run\'s predictions with each label\'s probability, and two runs side by side', () => {
  const spec: TaskSpec = { kind: 'classification', labels: [{ value: '0', verbalizer: 'not supported' }, { value: '1', verbalizer: 'supported' }] };
  const base = evaluation([{ id: 'a', lang: 'fi', correct: true }, { id: 'b', lang: 'ja', correct: false, negative: true }]);
  const withProbabilities = { ...base, predictions: base.predictions.map((p, i) => ({ ...p, probabilities: i === 0 ? [0.2, 0.8] : [0.4, 0.6] })) };
  const rows = predictionRows(withProbabilities, spec, [{ id: 'a', split: 'validation', lang: 'fi', question: 'Is it, "so"?', passage: '', answer: 'x', label: '1' }]);
  expect(readBack(predictionsCsv(rows))).toEqual([
    ['example_id', 'lang', 'question', 'gold', 'output', 'right', 'p(not supported)', 'p(supported)'],
    ['a', 'fi', 'Is it, "so"?', '1', 'supported', 'true', '0.2', '0.8'],
    ['b', 'ja', '', '', 'supported', 'false', '0.4', '0.6'],
  ]);
  expect((JSON.parse(predictionsJson({ name: 'fiat seed 0', rows })) as { rows: unknown[] }).rows).toHaveLength(2);
  const side = (output: string | null, right: boolean) => ({ output, right });
  expect(comparisonCsv([{ exampleId: 'a', lang: 'fi', question: 'q', gold: null, a: side('x', true), b: side(null, false), differ: true }], { a: 'fiat', b: 'no-cot' })).toBe(
    'example_id,lang,question,gold,fiat_output,fiat_right,no-cot_output,no-cot_right,differ\r\na,fi,q,,x,true,,false,true',
  );
});
