import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_MODEL_DIR, DEMO_SEED, demoModelFiles } from '../../../scripts/demo-model.ts';
import { createTokenizer } from '../../../src/engine/tokenizer.ts';
import { loadBaseWeights } from '../../../src/models/base-weights.ts';
import { parseModelConfigText } from '../../../src/models/config.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { readSafetensors } from '../../../src/models/safetensors.ts';

/** public/models/demo/ is what scripts/make-demo-model.ts makes, and the engine's readers accept it. */

const shipped = (name: string) => readFileSync(new URL(name, DEMO_MODEL_DIR));
const text = (name: string) => shipped(name).toString('utf8');

describe('the offline demo model', () => {
  const generated = demoModelFiles();

  it('ships exactly the generated files (npx tsx scripts/make-demo-model.ts rewrites them)', () => {
    expect(readdirSync(DEMO_MODEL_DIR).sort()).toEqual([...generated.keys(), 'README.md'].sort());
    for (const [name, bytes] of generated) {
      expect(Buffer.compare(shipped(name), Buffer.from(bytes)), name).toBe(0);
    }
  });

  it('is small enough to ship', () => {
    const total = [...generated.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  const config = parseModelConfigText(text('config.json'));

  it('loads as BF16 weights that are the seeded random init, rounded', () => {
    const file = readSafetensors(shipped('model.safetensors'), 'model.safetensors');
    expect(new Set([...file.tensors.values()].map((t) => t.dtype))).toEqual(new Set(['BF16']));
    const { weights, ignored } = loadBaseWeights(config, [{ name: 'model.safetensors', file }]);
    expect(ignored).toEqual([]);
    const reference = randomBaseWeights(config, DEMO_SEED);
    // bfloat16 keeps 8 significant bits (7 stored): rounding to nearest moves a value by at most 2^-8 of itself.
    const offBy = [...weights].filter(([name, values]) => {
      const exact = reference.get(name)!;
      return values.some((v, i) => Math.abs(v - exact[i]!) > Math.abs(exact[i]!) * 2 ** -8);
    });
    expect(offBy.map(([name]) => name)).toEqual([]);
    expect([...weights.keys()].sort()).toEqual([...reference.keys()].sort());
  });

  it('has a tokenizer whose special tokens are the config ids and whose vocabulary is the model vocabulary', () => {
    const tokenizer = createTokenizer({ tokenizerJson: text('tokenizer.json'), tokenizerConfig: text('tokenizer_config.json'), chatTemplate: null });
    expect(tokenizer.vocabSize).toBe(config.vocabSize);
    expect(tokenizer.bosTokenId).toBe(config.bosTokenId);
    expect([tokenizer.eosTokenId]).toEqual(config.eosTokenIds);
    expect(tokenizer.padTokenId).toBe(config.padTokenId);
    const generation = JSON.parse(text('generation_config.json')) as { eos_token_id: number; pad_token_id: number };
    expect([generation.eos_token_id, generation.pad_token_id]).toEqual([tokenizer.eosTokenId, tokenizer.padTokenId]);
    const prompt = tokenizer.applyChatTemplate([{ role: 'user', content: 'Kuka voitti?' }], { addGenerationPrompt: true });
    expect(prompt).toBe('<|im_start|>user\nKuka voitti?<|im_end|>\n<|im_start|>assistant\n');
    expect(Math.max(...tokenizer.encode(prompt, { addSpecialTokens: false }))).toBeLessThan(config.vocabSize);
  });
});
