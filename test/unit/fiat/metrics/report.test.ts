// Metrics reports: per language, overall (pooled) and macro, by hand and against report.json (scikit-learn and the
// SQuAD v2.0 functions over the xor_attriqa / xor_tydi_rc validation samples with made-up predictions).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  classificationReport,
  positiveLabelOf,
  qaReport,
  type ClassificationPrediction,
  type GroupMetrics,
  type QaPrediction,
} from '../../../../src/fiat/metrics/report.ts';
import type { MetricName } from '../../../../src/fiat/task/task.ts';
import { classification, qa } from '../fixtures.ts';

const TOLERANCE = 1e-12;

const judged = (lang: string, gold: string, label: string | null, p: number | null): ClassificationPrediction => ({
  exampleId: `${lang}-${gold}-${p}`,
  lang,
  gold,
  prediction: { label, positiveProbability: p },
});
const answered = (lang: string, gold: string | null, prediction: string | null): QaPrediction => ({
  exampleId: `${lang}-${gold}`,
  lang,
  gold,
  prediction,
});

describe('classificationReport by hand', () => {
  const rows = [
    judged('fi', '1', '0', 0.4),
    judged('bn', '1', '1', 0.9),
    judged('bn', '0', '0', 0.2),
    judged('fi', '0', null, 0.7),
    judged('bn', '0', '1', 0.6),
  ];
  const report = classificationReport(rows, '1');

  test('per language, sorted by code, with counts', () => {
    expect(report.languages.map((l) => l.lang)).toEqual(['bn', 'fi']);
    const [bn, fi] = report.languages;
    // bn: right, right, wrong: 2/3. Ranked .9 (1), .6 (0), .2 (0): all recall at rank 1 with P 1: AP 1.
    expect(bn!.values.accuracy).toBeCloseTo(2 / 3, 15);
    expect(bn!.values['auc-pr']).toBe(1);
    expect(bn!.counts).toEqual({ examples: 3, correct: 2, positives: 1, noLabel: 0, unscored: 0 });
    // fi: wrong, no label: 0. Ranked .7 (0), .4 (1): recall 1 at rank 2 with P 1/2: AP 1/2.
    expect(fi!.values).toEqual({ accuracy: 0, 'auc-pr': 0.5 });
    expect(fi!.counts).toEqual({ examples: 2, correct: 0, positives: 1, noLabel: 1, unscored: 0 });
  });

  test('overall pools every example; macro is the plain mean of the languages', () => {
    // Overall: 2 right of 5. Ranked .9 (1) .7 (0) .6 (0) .4 (1) .2 (0): 1/2·1 + 1/2·2/4 = 3/4.
    expect(report.overall.values.accuracy).toBe(0.4);
    expect(report.overall.values['auc-pr']).toBe(0.75);
    expect(report.overall.counts.examples).toBe(5);
    // Macro: (2/3 + 0) / 2 = 1/3 and (1 + 1/2) / 2 = 3/4.
    expect(report.macro.accuracy!.value).toBeCloseTo(1 / 3, 15);
    expect(report.macro['auc-pr']).toEqual({ value: 0.75, languages: 2 });
    expect(report.metrics).toEqual(['accuracy', 'auc-pr']);
    expect(report.positiveLabel).toBe('1');
  });

  test('lists each example as right or wrong, in input order', () => {
    expect(report.examples.map((e) => e.correct)).toEqual([false, true, true, false, false]);
    expect(report.examples[0]).toEqual({ exampleId: 'fi-1-0.4', lang: 'fi', correct: false });
  });

  test('AUC-PR is undefined for a language without positives or with unscored examples, and left out of macro', () => {
    const mixed = classificationReport([...rows, judged('ja', '0', '0', 0.1), judged('ru', '1', '1', null)], '1');
    const ja = mixed.languages.find((l) => l.lang === 'ja')!;
    const ru = mixed.languages.find((l) => l.lang === 'ru')!;
    expect(ja.values).toEqual({ accuracy: 1, 'auc-pr': null });
    expect(ja.counts.positives).toBe(0);
    expect(ru.values).toEqual({ accuracy: 1, 'auc-pr': null });
    expect(ru.counts.unscored).toBe(1);
    expect(mixed.overall.values['auc-pr']).toBeNull();
    expect(mixed.macro['auc-pr']).toEqual({ value: 0.75, languages: 2 });
    // Accuracy is defined everywhere: (2/3 + 0 + 1 + 1) / 4.
    expect(mixed.macro.accuracy!.languages).toBe(4);
    expect(mixed.macro.accuracy!.value).toBeCloseTo((2 / 3 + 2) / 4, 15);
  });

  test('without a positive label there is no AUC-PR at all', () => {
    const plain = classificationReport(rows, null);
    expect(plain.metrics).toEqual(['accuracy']);
    expect(plain.overall.values).toEqual({ accuracy: 0.4 });
    expect(Object.keys(plain.macro)).toEqual(['accuracy']);
  });

  test('no predictions: no languages, and nothing is defined', () => {
    const empty = classificationReport([], '1');
    expect(empty.languages).toEqual([]);
    expect(empty.overall.values).toEqual({ accuracy: null, 'auc-pr': null });
    expect(empty.macro.accuracy).toEqual({ value: null, languages: 0 });
  });
});

describe('positiveLabelOf', () => {
  test('is the label that reads as yes, else the first, for two labels only', () => {
    expect(positiveLabelOf(classification)).toBe('1');
    const two = (a: string, b: string) => ({ kind: 'classification' as const, labels: [a, b].map((value) => ({ value, verbalizer: `v${value}` })) });
    expect(positiveLabelOf(two('0', '1'))).toBe('1');
    expect(positiveLabelOf(two('no', 'Yes'))).toBe('Yes');
    expect(positiveLabelOf(two('FALSE', 'True'))).toBe('True');
    expect(positiveLabelOf(two('cat', 'dog'))).toBe('cat');
    expect(positiveLabelOf({ kind: 'classification', labels: [...two('a', 'b').labels, { value: 'c', verbalizer: 'c' }] })).toBeNull();
    expect(positiveLabelOf(qa)).toBeNull();
  });
});

describe('qaReport by hand', () => {
  const rows = [
    answered('ja', 'Pittsburgh Steelers', 'the Steelers of Pittsburgh'),
    answered('ja', null, null),
    answered('ar', '1914', '1914.'),
    answered('ar', null, 'Denver'),
    answered('ar', 'Denver', null),
  ];
  const report = qaReport(rows);

  test('per language, overall and macro', () => {
    // ja: EM 0 and 1, F1 4/5 (see squad.test.ts) and 1: EM 1/2, F1 9/10.
    // ar: EM 1, 0, 0 and F1 1, 0, 0: both 1/3.
    const [ar, ja] = report.languages;
    expect(ar!.lang).toBe('ar');
    expect(ar!.values['exact-match']).toBeCloseTo(1 / 3, 15);
    expect(ar!.values['token-f1']).toBeCloseTo(1 / 3, 15);
    expect(ar!.counts).toEqual({ examples: 3, exact: 1, noAnswerGold: 1, noAnswerPredicted: 1 });
    expect(ja!.values['exact-match']).toBe(0.5);
    expect(ja!.values['token-f1']).toBeCloseTo(0.9, 15);
    expect(ja!.counts).toEqual({ examples: 2, exact: 1, noAnswerGold: 1, noAnswerPredicted: 1 });
    // Overall EM 2/5, F1 (4/5 + 1 + 1) / 5 = 14/25; macro EM (1/3 + 1/2) / 2 = 5/12, F1 (1/3 + 9/10) / 2 = 37/60.
    expect(report.overall.values['exact-match']).toBe(0.4);
    expect(report.overall.values['token-f1']).toBeCloseTo(14 / 25, 15);
    expect(report.macro['exact-match']!.value).toBeCloseTo(5 / 12, 15);
    expect(report.macro['token-f1']).toEqual({ value: expect.closeTo(37 / 60, 15) as number, languages: 2 });
    expect(report.metrics).toEqual(['exact-match', 'token-f1']);
  });

  test("lists each example's scores in input order", () => {
    expect(report.examples.map((e) => e.exactMatch)).toEqual([0, 1, 1, 0, 0]);
    expect(report.examples[0]!.tokenF1).toBeCloseTo(0.8, 15);
    expect(report.examples[3]).toEqual({ exampleId: 'ar-null', lang: 'ar', exactMatch: 0, tokenF1: 0 });
  });
});

type Expected = Record<string, number>;
interface ReportFixture<Row> {
  rows: Row[];
  languages: Record<string, Expected>;
  pooled: Expected;
  macro: Expected;
}
const fixture = JSON.parse(readFileSync('test/fixtures/metrics/report.json', 'utf8')) as {
  qa: ReportFixture<QaPrediction>;
  classification: ReportFixture<{ exampleId: string; lang: string; gold: string; label: string | null; positiveProbability: number }>;
};

function expectGroup(group: GroupMetrics<{ examples: number }>, expected: Expected, metrics: readonly MetricName[]): void {
  expect(group.counts.examples).toBe(expected.examples);
  for (const metric of metrics) expect(Math.abs(group.values[metric]! - expected[metric]!), metric).toBeLessThanOrEqual(TOLERANCE);
}

describe('against the Python reference over the samples', () => {
  test('xor_tydi_rc: SQuAD v2.0 EM and F1 per language, pooled and macro', () => {
    const report = qaReport(fixture.qa.rows);
    expect(report.languages.map((l) => l.lang)).toEqual(Object.keys(fixture.qa.languages));
    for (const l of report.languages) expectGroup(l, fixture.qa.languages[l.lang]!, report.metrics);
    expectGroup(report.overall, fixture.qa.pooled, report.metrics);
    for (const metric of report.metrics) {
      expect(Math.abs(report.macro[metric]!.value! - fixture.qa.macro[metric]!)).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(report.overall.counts.noAnswerGold).toBe(fixture.qa.rows.filter((r) => r.gold === null).length);
  });

  test('xor_attriqa: accuracy and AUC-PR (label 1) per language, pooled and macro', () => {
    const rows = fixture.classification.rows.map(({ label, positiveProbability, ...rest }) => ({ ...rest, prediction: { label, positiveProbability } }));
    const report = classificationReport(rows, '1');
    expect(report.languages.map((l) => l.lang)).toEqual(Object.keys(fixture.classification.languages));
    for (const l of report.languages) expectGroup(l, fixture.classification.languages[l.lang]!, report.metrics);
    expectGroup(report.overall, fixture.classification.pooled, report.metrics);
    for (const metric of report.metrics) {
      expect(Math.abs(report.macro[metric]!.value! - fixture.classification.macro[metric]!)).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
