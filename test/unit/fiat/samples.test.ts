import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSampleTask } from '../../../src/fiat/task/load-sample.ts';
import { SAMPLE_SPLIT_FILES, SAMPLE_TASKS } from '../../../src/fiat/task/samples.ts';
import { labelKeyOf, languagesOf, targetOf } from '../../../src/fiat/task/task.ts';

const read = (folder: string) =>
  SAMPLE_SPLIT_FILES.map((file) => ({ file, text: readFileSync(new URL(`../../../public/samples/${folder}/${file}`, import.meta.url), 'utf8') }));

describe('sample tasks', () => {
  it('each parse from public/samples through import validation without a bad row', () => {
    const counts = Object.fromEntries(SAMPLE_TASKS.map((s) => [s.folder, parseSampleTask(s, read(s.folder)).examples.length]));
    expect(counts).toEqual({ xor_attriqa: 750, xor_tydi_rc: 2372, xquad_xling: 10428 });
  });

  it('XOR-AttriQA reads as classification with verbalized labels and English translations kept', () => {
    const task = parseSampleTask(SAMPLE_TASKS[0]!, read('xor_attriqa'));
    const first = task.examples[0]!;
    expect(first.split).toBe('train');
    expect(['1', '0']).toContain(first.label);
    expect(first.extra?.question_en).toEqual(expect.any(String));
    expect(languagesOf(task.examples)).toEqual(['bn', 'fi', 'ja', 'ru', 'te']);
    expect(task.examples.filter((e) => targetOf(task.spec, e) === 'supported')).toHaveLength(48 + 75);
  });

  it('XOR-TyDi QA has no-answer rows (answer null)', () => {
    const task = parseSampleTask(SAMPLE_TASKS[1]!, read('xor_tydi_rc'));
    expect(task.examples.filter((e) => labelKeyOf(task.spec, e) === 'no-answer')).toHaveLength(392 + 149);
  });

  it('every sample carries its source, licence and citation', () => {
    for (const s of SAMPLE_TASKS) {
      expect(s.attribution.source).not.toBe('');
      expect(s.attribution.licence).not.toBe('');
      expect(s.attribution.citation).toMatch(/\d{4}/);
    }
  });
});
