import type { ExecutionProvider } from '../runtime/backend-contract.ts';
import type { BackendProvider } from './backends.ts';
import type { ExampleScore, GenerationPrompt, LabelScores, TrainExample } from './engine.ts';
import { EngineError } from './errors.ts';
import type { LoadedModel } from './load-model.ts';
import type { ModelTokenizer } from './tokenizer.ts';

/** Rows per scoring run when the caller does not say. */
export const DEFAULT_SCORE_BATCH = 8;

/** The EP inference runs on when neither the call nor a prepared training says: WebGPU where there is one. */
export function defaultEp(backends: BackendProvider): ExecutionProvider {
  if (backends.eps.includes('webgpu')) return 'webgpu';
  const first = backends.eps[0];
  if (first === undefined) throw new EngineError('usage', 'no execution provider is available');
  return first;
}

/** How sequences.ts tokenizes for this model, up to `seqLen` tokens. */
export function sequenceContext(model: LoadedModel, seqLen: number): { tokenizer: ModelTokenizer | null; eosTokenId: number | null; vocabSize: number; seqLen: number } {
  return { tokenizer: model.tokenizer, eosTokenId: model.info.eosTokenIds[0] ?? null, vocabSize: model.config.vocabSize, seqLen };
}

/** Every (prompt, label) pair, prompt-major: the label scores of prompt p are examples p * labels .. (p + 1) * labels - 1. */
export function labelExamples(prompts: readonly string[], labels: readonly string[]): TrainExample[] {
  if (labels.length < 2) throw new EngineError('usage', `label scoring needs at least two labels, got ${labels.length}`);
  const empty = labels.findIndex((l) => l.length === 0);
  if (empty >= 0) throw new EngineError('usage', `label ${empty + 1} is empty: each label needs its verbalizer text`);
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) throw new EngineError('usage', `the label "${label}" is given twice`);
    seen.add(label);
  }
  return prompts.flatMap((prompt) => labels.map((completion) => ({ prompt, completion })));
}

/** Scores of labelExamples' pairs as each prompt's label distribution: softmax over the labels' summed log-probabilities. */
export function labelScores(scores: readonly ExampleScore[], prompts: number, labels: number): LabelScores[] {
  if (scores.length !== prompts * labels) throw new Error(`label scores: ${scores.length} scores for ${prompts} prompts x ${labels} labels`);
  return Array.from({ length: prompts }, (_, p) => {
    const logprobs = scores.slice(p * labels, (p + 1) * labels).map((s) => s.logprob);
    const max = Math.max(...logprobs);
    const weights = logprobs.map((l) => Math.exp(l - max));
    const z = weights.reduce((a, w) => a + w, 0);
    const best = logprobs.indexOf(max);
    return { probabilities: weights.map((w) => w / z), logprobs, best };
  });
}

/** A generation prompt as ids: text with the tokenizer's special tokens, messages through the chat template, ids checked. */
export function promptTokens(prompt: GenerationPrompt, model: LoadedModel): number[] {
  if ('tokens' in prompt) {
    const bad = prompt.tokens.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= model.config.vocabSize);
    if (bad >= 0) throw new EngineError('usage', `token ${prompt.tokens[bad]} at position ${bad} is not an id of this model's vocabulary (0..${model.config.vocabSize - 1})`);
    if (prompt.tokens.length === 0) throw new EngineError('usage', 'the prompt is empty');
    return [...prompt.tokens];
  }
  const tokenizer = model.tokenizer;
  if (!tokenizer) throw new EngineError('tokenizer', `${model.info.label} has no tokenizer: give the prompt as tokens`);
  const ids =
    'text' in prompt
      ? tokenizer.encode(prompt.text, { addSpecialTokens: true })
      : tokenizer.encode(tokenizer.applyChatTemplate(prompt.messages, { addGenerationPrompt: true }), { addSpecialTokens: false });
  if (ids.length === 0) throw new EngineError('usage', 'the prompt is empty');
  return ids;
}
