/**
 * The augmented training set as JSONL for TRL's SFTTrainer: one {"prompt", "completion"} object per line, the texts
 * the studio trained (I_τ and the reasoning applied per the method, passages cut to the sequence length: the caller
 * gives the pairs as trained, before any chat template). Which of TRL's two prompt-completion formats:
 * - `conversational` (the run used the model's chat template): {"prompt": [{"role": "user", "content": …}],
 *   "completion": [{"role": "assistant", "content": …}]}. TRL applies the model's own chat template, the prompt with
 *   the generation prompt, as the studio did (fiat/training-set/chat-format.ts was written to match it); TRL also
 *   trains what the template writes after the end of turn (ChatML's newline), which the studio does not;
 * - `text` (the run used no chat template): {"prompt": "…", "completion": "…"}: TRL tokenizes prompt + completion
 *   as one text and appends the EOS token, where the studio tokenizes them apart (the tokens can differ at the seam).
 * Pure: returns the file's text (UTF-8 when written), each line ending in "\n".
 */

export type JsonlFormat = 'conversational' | 'text';

export interface ExportPair {
  readonly prompt: string;
  readonly completion: string;
}

export function trainingJsonl(pairs: readonly ExportPair[], format: JsonlFormat): string {
  return pairs.map((pair) => `${JSON.stringify(row(pair, format))}\n`).join('');
}

function row(pair: ExportPair, format: JsonlFormat): unknown {
  if (format === 'text') return { prompt: pair.prompt, completion: pair.completion };
  return { prompt: [{ role: 'user', content: pair.prompt }], completion: [{ role: 'assistant', content: pair.completion }] };
}
