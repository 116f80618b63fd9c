// The inference parity fixtures (test/fixtures/inference/<model>/, made by scripts/fixtures/make_inference_fixtures.py)
// as the engine takes them: the folder as a 'files' model source, adapter/ as a PeftAdapter, expected.json typed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage, ModelSource, PeftAdapter } from '../../src/engine/engine.ts';

export const INFERENCE_FIXTURES = ['llama', 'qwen2', 'qwen3'] as const;
export type InferenceFixtureName = (typeof INFERENCE_FIXTURES)[number];

/** What transformers (+ PEFT) gave without the adapter ('base') and with it ('adapter'). */
export type Run = 'base' | 'adapter';

export interface ExpectedGeneration {
  readonly name: string;
  readonly prompt: { readonly text: string } | { readonly messages: readonly ChatMessage[] };
  readonly prompt_ids: readonly number[];
  readonly max_new_tokens: number;
  /** The new ids of model.generate (greedy); EOS included when it ended the continuation. */
  readonly base: GreedyContinuation;
  readonly adapter: GreedyContinuation;
}

export interface GreedyContinuation {
  readonly ids: readonly number[];
  readonly finish_reason: 'eos' | 'length';
  /** The smallest top-1 / top-2 logit gap over the generated steps. */
  readonly min_margin: number;
}

export interface ExpectedScore {
  readonly name: string;
  readonly prompt: string;
  readonly completion: string;
  /** Prompt ids (with special tokens), completion ids (without), EOS. */
  readonly tokens: readonly number[];
  readonly prompt_length: number;
  readonly base: CompletionLogprobs;
  readonly adapter: CompletionLogprobs;
}

export interface CompletionLogprobs {
  readonly logprob: number;
  readonly token_logprobs: readonly number[];
}

export interface ExpectedLabelScores {
  readonly prompt: string;
  readonly labels: readonly string[];
  readonly base: LabelDistribution;
  readonly adapter: LabelDistribution;
}

export interface LabelDistribution {
  readonly probabilities: readonly number[];
  readonly logprobs: readonly number[];
  readonly best: number;
}

export interface InferenceExpected {
  readonly model: InferenceFixtureName;
  readonly eos_token_id: number;
  readonly min_margin: number;
  readonly generations: readonly ExpectedGeneration[];
  readonly scores: readonly ExpectedScore[];
  readonly label_scores: readonly ExpectedLabelScores[];
}

export interface InferenceFixture {
  readonly name: InferenceFixtureName;
  /** Every file of the folder but adapter/ and expected.json, in the Hub's layout. */
  readonly source: ModelSource;
  readonly adapter: PeftAdapter;
  readonly expected: InferenceExpected;
}

const root = 'test/fixtures/inference';
const notModelFiles = new Set(['adapter', 'expected.json']);

export function loadInferenceFixture(name: InferenceFixtureName): InferenceFixture {
  const dir = join(root, name);
  const files = readdirSync(dir)
    .filter((file) => !notModelFiles.has(file) && statSync(join(dir, file)).isFile())
    .map((file) => ({ name: file, blob: new Blob([new Uint8Array(readFileSync(join(dir, file)))]) }));
  const adapter: PeftAdapter = {
    config: JSON.parse(readFileSync(join(dir, 'adapter', 'adapter_config.json'), 'utf8')) as Record<string, unknown>,
    weights: new Uint8Array(readFileSync(join(dir, 'adapter', 'adapter_model.safetensors'))),
  };
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as InferenceExpected;
  return { name, source: { kind: 'files', label: `inference fixture ${name}`, files }, adapter, expected };
}
