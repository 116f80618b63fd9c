/**
 * The small models the studio offers by name (any other Hub repo id works too). Sizes are the checkpoints' BF16
 * model.safetensors as published, rounded: `Engine.inspect` gives the exact bytes (and config) before a download.
 * All four are Apache-2.0. For the sample tasks' languages (en, ar, bn, fi, ja, ko, ru, te; XQuAD's de, el, es, hi,
 * ro, th, tr, vi, zh), Qwen3-0.6B was trained on all of them; SmolLM2 is mostly English.
 */
export interface ModelPreset {
  readonly id: string;
  readonly label: string;
  readonly repo: string;
  readonly revision: string;
  readonly architecture: 'LlamaForCausalLM' | 'Qwen2ForCausalLM' | 'Qwen3ForCausalLM';
  /** Parameters, rounded. */
  readonly parameters: number;
  /** About this many bytes to download (model.safetensors, BF16), before the exact size is known. */
  readonly approxDownloadBytes: number;
  readonly licence: string;
  /** One line for the model picker. */
  readonly note: string;
}

const MB = 1e6;

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'smollm2-135m',
    label: 'SmolLM2-135M-Instruct',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    revision: 'main',
    architecture: 'LlamaForCausalLM',
    parameters: 135e6,
    approxDownloadBytes: 269 * MB,
    licence: 'Apache-2.0',
    note: 'smallest and fastest to tune; mostly English',
  },
  {
    id: 'smollm2-360m',
    label: 'SmolLM2-360M-Instruct',
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    revision: 'main',
    architecture: 'LlamaForCausalLM',
    parameters: 362e6,
    approxDownloadBytes: 724 * MB,
    licence: 'Apache-2.0',
    note: 'stronger than 135M at about 2.7 times the cost; mostly English',
  },
  {
    id: 'qwen2.5-0.5b',
    label: 'Qwen2.5-0.5B-Instruct',
    repo: 'Qwen/Qwen2.5-0.5B-Instruct',
    revision: 'main',
    architecture: 'Qwen2ForCausalLM',
    parameters: 494e6,
    approxDownloadBytes: 988 * MB,
    licence: 'Apache-2.0',
    note: 'multilingual (29+ languages); a 152k vocabulary makes the loss the largest part of a step',
  },
  {
    id: 'qwen3-0.6b',
    label: 'Qwen3-0.6B',
    repo: 'Qwen/Qwen3-0.6B',
    revision: 'main',
    architecture: 'Qwen3ForCausalLM',
    parameters: 596e6,
    approxDownloadBytes: 1503 * MB,
    licence: 'Apache-2.0',
    note: 'covers every language of the sample tasks (119 languages); the largest preset',
  },
];
