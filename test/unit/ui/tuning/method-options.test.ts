import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SHAPES } from '../../../../src/fiat/tuning/training-shapes.ts';
import { DEFAULT_RUN_SETTINGS, TRAINING_METHODS, TrainingShapesSchema } from '../../../../src/fiat/project/tuning-settings.ts';
import type { TaskSpec } from '../../../../src/fiat/task/task.ts';
import { trainingTemplateErrors } from '../../../../src/fiat/training-set/build.ts';
import { METHOD_OPTIONS, methodCannotUse, methodFromValue, methodNote } from '../../../../src/ui/features/tuning/method-options.ts';
import { runPlanOf } from '../../../../src/ui/features/tuning/run-plan.ts';

const spec: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };
const errorsFor = (method: (typeof TRAINING_METHODS)[number], tau: string) => trainingTemplateErrors({ spec, instructions: { beta: '', tau }, method });

describe('the Tuning tab’s method choice', () => {
  it('offers every method the project can save, each once, with a line on its input', () => {
    expect(METHOD_OPTIONS.map((o) => o.value).sort()).toEqual([...TRAINING_METHODS].sort());
    for (const option of METHOD_OPTIONS) expect(option.input).toMatch(/Input|pairs/);
    expect(methodFromValue('distilled-cot', 'fiat')).toBe('distilled-cot');
    expect(methodFromValue('no-peft', 'fiat')).toBe('fiat');
  });

  it('says when distilled CoT cannot use an I_τ without {{reasoning}}, and nothing when it can', () => {
    const without = 'Question: {{question}}\nLabel:';
    expect(methodCannotUse('distilled-cot', errorsFor('distilled-cot', without))).toMatch(/Distilled CoT cannot use this I_τ.*\{\{reasoning\}\}/);
    expect(methodCannotUse('distilled-cot', errorsFor('distilled-cot', `${without} {{reasoning}}`))).toBeNull();
    // The other methods take an I_τ without {{reasoning}} (FIAT and instruction only say what it means).
    expect(errorsFor('instruction-only', without)).toEqual([]);
    expect(methodNote('fiat', false)).toMatch(/same input as Instruction only/);
    expect(methodNote('fiat', true)).toBeNull();
    expect(methodNote('fine-tune', false)).toBeNull();
  });
});

describe('runPlanOf', () => {
  it('is the run Train starts: the saved shapes and settings, steps counted over the pairs when the length is in epochs', () => {
    const shapes = TrainingShapesSchema.parse(DEFAULT_TRAINING_SHAPES);
    const plan = runPlanOf(shapes, { ...DEFAULT_RUN_SETTINGS, length: 'epochs', epochs: 2, seed: 5 }, 10, { ep: 'wasm', wasmThreads: 2 });
    expect(plan.totalSteps).toBe(Math.ceil((2 * 10) / shapes.batchSize));
    expect(plan.setup).toEqual({ lora: shapes.lora, batchSize: shapes.batchSize, microBatchSize: shapes.microBatchSize, seqLen: shapes.seqLen, ep: 'wasm', wasmThreads: 2, seed: 5 });
    expect(plan.lr).toEqual({ peak: DEFAULT_RUN_SETTINGS.lr, warmupSteps: DEFAULT_RUN_SETTINGS.warmupSteps, decay: DEFAULT_RUN_SETTINGS.decay });
  });
});
