import type { TokenSequence } from '../models/batch.ts';
import type { TrainExample } from './engine.ts';
import { EngineError } from './errors.ts';
import type { ModelTokenizer } from './tokenizer.ts';

/**
 * Training examples as token sequences: a text example's prompt is tokenized with the tokenizer's special tokens
 * (BOS where its post-processor adds one), its completion without, followed by EOS, so the model learns to stop;
 * the loss is on the completion and EOS only. Prompt and completion are tokenized apart (as TRL's prompt-completion
 * datasets are), so a token never straddles the boundary. A sequence longer than seqLen is refused with its length:
 * the studio cuts the passage before it gets here, never the answer.
 */
export function toSequences(
  examples: readonly TrainExample[],
  context: { tokenizer: ModelTokenizer | null; eosTokenId: number | null; vocabSize: number; seqLen: number },
): TokenSequence[] {
  return examples.map((example, i) => {
    let sequence: TokenSequence;
    if ('tokens' in example) {
      const bad = example.tokens.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= context.vocabSize);
      if (bad >= 0) throw new EngineError('usage', `example ${i + 1}: token ${example.tokens[bad]} at position ${bad} is not an id of this model's vocabulary (0..${context.vocabSize - 1})`);
      sequence = { tokens: example.tokens, promptLength: example.promptLength };
    } else {
      const tokenizer = context.tokenizer;
      if (!tokenizer) throw new EngineError('usage', 'this model has no tokenizer: give examples as tokens');
      if (example.completion.length === 0) throw new EngineError('usage', `example ${i + 1}: the completion is empty (the loss is on the completion)`);
      const prompt = tokenizer.encode(example.prompt, { addSpecialTokens: true });
      const completion = tokenizer.encode(example.completion, { addSpecialTokens: false });
      if (context.eosTokenId !== null) completion.push(context.eosTokenId);
      sequence = { tokens: [...prompt, ...completion], promptLength: prompt.length };
    }
    if (sequence.tokens.length > context.seqLen) {
      const over = sequence.tokens.length - context.seqLen;
      throw new EngineError('usage', `example ${i + 1} has ${sequence.tokens.length} tokens, ${over} more than the sequence length ${context.seqLen}`);
    }
    return sequence;
  });
}
