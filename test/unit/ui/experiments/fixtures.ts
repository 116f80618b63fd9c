// Shared by the experiments runner's tests: a small classification task, its reasoning, a character tokenizer, the
// demo model's info, a settings snapshot, and run specs built by hand.
import type { ModelInfo } from '../../../../src/engine/engine.ts';
import { DEFAULT_RUN_SETTINGS, TrainingShapesSchema } from '../../../../src/fiat/project/tuning-settings.ts';
import { compileAnswerPattern, DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../../src/fiat/reasoning/answer-pattern.ts';
import type { BetaReasoning } from '../../../../src/fiat/reasoning/beta-output.ts';
import type { RunSpec } from '../../../../src/fiat/experiments/spec.ts';
import type { Example, Task } from '../../../../src/fiat/task/task.ts';
import { DEFAULT_TRAINING_SHAPES } from '../../../../src/fiat/tuning/training-shapes.ts';
import type { SmallModelTokenizer } from '../../../../src/ui/lib/small-model.ts';
import type { RunnerContext } from '../../../../src/ui/features/experiments/runner/context.ts';
import type { SettingsSnapshot } from '../../../../src/ui/features/experiments/runner/settings-snapshot.ts';
import { demoModelInfo } from '../model-info.ts';

export const TAU = ['Is the answer supported by the passage?', 'Question: {{question}}', 'Passage: {{passage}}', 'Answer: {{answer}}', 'Reasoning: {{reasoning}}', 'Label:'].join('\n');

function example(id: string, split: Example['split'], i: number): Example {
  return { id, split, lang: i % 2 === 0 ? 'fi' : 'ja', question: `Question ${id}?`, passage: `Passage of ${id}.`, answer: `answer ${id}`, label: i % 3 === 0 ? '0' : '1' };
}

/** 20 train examples (t0..t19), one without a gold label (t19), and 6 validation examples (v0..v5). */
export function task(): Task {
  const train = Array.from({ length: 20 }, (_, i) => example(`t${i}`, 'train', i));
  const { label: _label, ...noGold } = train[19]!;
  train[19] = noGold;
  return {
    id: 'sample:tiny',
    name: 'Tiny',
    description: '',
    spec: { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] },
    metrics: ['accuracy'],
    attribution: { source: 'tests', licence: 'CC0' },
    examples: [...train, ...Array.from({ length: 6 }, (_, i) => example(`v${i}`, 'validation', i))],
  };
}

export const reasoningOf = (id: string): string => `The passage of ${id} says so. So the answer is supported`;

/** Finished reasoning for every example but those in `missing`. */
export function reasoning(t: Task, missing: readonly string[] = []): Map<string, BetaReasoning> {
  return new Map(t.examples.filter((e) => !missing.includes(e.id)).map((e) => [e.id, { reasoning: reasoningOf(e.id), finishReason: 'stop' }]));
}

/** One token per character (ASCII texts). */
export const charTokenizer: SmallModelTokenizer = {
  name: 'chars',
  tokenize: (text) => Promise.resolve(Array.from(text, (c) => c.codePointAt(0)!)),
  decode: (ids) => Promise.resolve(String.fromCodePoint(...ids)),
  count: (text) => Promise.resolve(Array.from(text).length),
  chat: null,
  appendsEos: false,
};

export function modelInfo(name = 'fiat-studio/demo'): ModelInfo {
  return demoModelInfo({ label: name, base: { name, revision: null }, contextLength: 2048 });
}

export const DEMO = { repo: 'fiat-studio/demo', revision: 'unversioned', label: 'fiat-studio/demo' };

export function context(overrides: Partial<RunnerContext> = {}): RunnerContext {
  const t = overrides.task ?? task();
  return {
    task: t,
    exemplars: [],
    answerPattern: compileAnswerPattern(DEFAULT_ANSWER_PATTERN_SETTINGS),
    synonyms: {},
    reasoning: { ok: true, entries: reasoning(t) },
    model: modelInfo(),
    tokenizer: charTokenizer,
    ...overrides,
  };
}

export function snapshot(overrides: Partial<SettingsSnapshot['run']> = {}): SettingsSnapshot {
  const { seed: _seed, ...run } = DEFAULT_RUN_SETTINGS;
  return { run: { ...run, steps: 4, evalEvery: 2, validationSize: 4, ...overrides }, shapes: { ...TrainingShapesSchema.parse(DEFAULT_TRAINING_SHAPES), seqLen: 2048 }, chatTemplate: false, onlyAgreeing: false };
}

export function spec(method: string, overrides: Partial<RunSpec> = {}): RunSpec {
  const trains = method !== 'icl';
  return {
    method,
    model: DEMO,
    trains,
    tunedModel: trains ? DEMO : null,
    tau: { label: 'v1', hash: 'tau-hash', text: TAU },
    size: 6,
    seed: 0,
    dataHash: 'data',
    settings: snapshot(),
    ...overrides,
  };
}
