import { estimatePromptTokens } from '../../providers/token-estimate.ts';
import type { GenerationParams, ProviderIdentity } from '../../providers/types.ts';
import type { Exemplar } from '../exemplars/exemplars.ts';
import { type BetaJob, betaPrompts, type BetaPrompts } from '../prompt/assemble.ts';
import { forEachSlice } from '../slices.ts';
import type { Example, TaskSpec } from '../task/task.ts';
import type { TemplateDiagnostic } from '../template/lint.ts';
import { reasoningCacheKeyer } from './cache-key.ts';

/** Examples rendered (and hashed) between two yields to the event loop. */
const SLICE = 200;

export interface TaskPromptsInput {
  spec: TaskSpec;
  beta: string;
  exemplars: readonly Exemplar[];
  examples: readonly Example[];
  signal?: AbortSignal;
}

/**
 * betaPrompts over many examples in slices, yielding between them (100,000 prompts take seconds to
 * render). Template errors come back before anything is rendered.
 */
export async function betaPromptsInSlices({ spec, beta, exemplars, examples, signal }: TaskPromptsInput): Promise<BetaPrompts> {
  const check = betaPrompts(spec, beta, exemplars, []);
  if (!check.ok) return check;
  const jobs: BetaJob[] = [];
  await forEachSlice(examples, SLICE, (slice) => {
    const prompts = betaPrompts(spec, beta, exemplars, slice);
    if (prompts.ok) jobs.push(...prompts.jobs);
  }, signal);
  return { ok: true, jobs };
}

export interface PromptKeys {
  /** Cache key of each example's I_β prompt, by example id. */
  keys: Map<string, string>;
  /** Estimated tokens of each example's prompt (for the cost estimate; the prompts are not kept). */
  promptTokens: Map<string, number>;
}

export type PromptKeysResult = ({ ok: true } & PromptKeys) | { ok: false; errors: TemplateDiagnostic[] };

/**
 * The cache key of every example's I_β prompt under one provider and its parameters, in slices
 * (100,000 SHA-256 digests and renders would freeze the page in one task), or I_β's template errors.
 * The endpoint is normalised once for all of them (reasoningCacheKeyer).
 */
export async function taskPromptKeys(input: TaskPromptsInput & { identity: ProviderIdentity; params: GenerationParams }): Promise<PromptKeysResult> {
  const { spec, beta, exemplars, examples, signal } = input;
  const check = betaPrompts(spec, beta, exemplars, []);
  if (!check.ok) return check;
  const keyOf = reasoningCacheKeyer(input.identity, input.params);
  const keys = new Map<string, string>();
  const promptTokens = new Map<string, number>();
  await forEachSlice(examples, SLICE, async (slice) => {
    const prompts = betaPrompts(spec, beta, exemplars, slice);
    if (!prompts.ok) return;
    const hashed = await Promise.all(prompts.jobs.map((job) => keyOf(job.messages)));
    prompts.jobs.forEach((job, i) => {
      keys.set(job.exampleId, hashed[i] ?? '');
      promptTokens.set(job.exampleId, estimatePromptTokens(job.messages));
    });
  }, signal);
  return { ok: true, keys, promptTokens };
}
