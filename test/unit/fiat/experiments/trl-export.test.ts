import { describe, expect, it } from 'vitest';
import type { TrainingSetup } from '../../../../src/engine/engine.ts';
import type { SftRun } from '../../../../src/fiat/experiments/export/sft-config.ts';
import { trlCommand, trlExport, type TrlExportInput } from '../../../../src/fiat/experiments/export/trl-export.ts';
import { loraMethodFor, methodById } from '../../../../src/fiat/experiments/methods.ts';

const setup: TrainingSetup = { lora: { r: 8, alpha: 16, targets: ['q', 'v'] }, batchSize: 8, microBatchSize: 2, seqLen: 512, ep: 'wasm', seed: 3 };
const run: SftRun = { setup, totalSteps: 100, lr: { peak: 2e-4, warmupSteps: 10, decay: 'linear' }, seed: 3 };
const pairs = [
  { prompt: 'Question: ما هي عاصمة مصر؟\nPassage: Cairo is the capital.\nReasoning: The passage says Cairo.\nLabel:', completion: ' supported' },
  { prompt: 'Question: "quoted"\tand a tab\nLabel:', completion: ' not supported' },
];
const input = (over: Partial<TrlExportInput> = {}): TrlExportInput => ({
  method: loraMethodFor('fiat'),
  model: { name: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: '12fd25f77366fa6b3b4b768ec3050bf629380bac' },
  pairs,
  chatTemplate: true,
  run,
  ...over,
});
const file = (files: { name: string; text: string }[], name: string) => files.find((f) => f.name === name)?.text ?? '';
const jsonLines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { prompt: unknown; completion: unknown });

describe('trlExport', () => {
  it('holds train.jsonl, lora_config.json, sft_config.json, train.py and README.txt, in a zip named for the method and model', () => {
    const out = trlExport(input());
    expect(out.files.map((f) => f.name)).toEqual(['train.jsonl', 'lora_config.json', 'sft_config.json', 'train.py', 'README.txt']);
    expect(out.fileName).toBe('trl-fiat-SmolLM2-135M-Instruct.zip');
  });

  it('writes one JSONL line per pair, equal to the pair: conversational with the chat template', () => {
    const lines = jsonLines(file(trlExport(input()).files, 'train.jsonl'));
    expect(lines).toEqual(pairs.map((p) => ({ prompt: [{ role: 'user', content: p.prompt }], completion: [{ role: 'assistant', content: p.completion }] })));
  });

  it('writes plain prompt-completion lines without it', () => {
    const lines = jsonLines(file(trlExport(input({ chatTemplate: false })).files, 'train.jsonl'));
    expect(lines).toEqual(pairs);
  });

  it("the README states the chat template, the model's repo@revision and the exact command", () => {
    const readme = file(trlExport(input({ templatedExample: { prompt: '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n', completion: 'supported' } })).files, 'README.txt');
    expect(readme).toContain('Model: HuggingFaceTB/SmolLM2-135M-Instruct@12fd25f77366fa6b3b4b768ec3050bf629380bac');
    expect(readme).toContain("Chat template: the model's own");
    expect(readme).toContain('    | <|im_start|>user');
    expect(readme).toContain('  pip install trl peft datasets && python train.py\n');
    expect(readme).toContain('Training set: 2 pairs');
    const plain = file(trlExport(input({ chatTemplate: false, model: { name: 'fiat-studio/demo', revision: null } })).files, 'README.txt');
    expect(plain).toContain('Chat template: none.');
    expect(plain).toContain('Model: fiat-studio/demo (no Hub revision');
  });

  it('names each method the Tuning tab trains by its catalogue entry', () => {
    expect(loraMethodFor('fiat').id).toBe('fiat');
    expect(loraMethodFor('instruction-only').id).toBe('no-cot');
    expect(loraMethodFor('fine-tune').id).toBe('fine-tune');
    expect(loraMethodFor('distilled-cot').id).toBe('distilled-cot');
    expect(trlExport(input({ method: loraMethodFor('distilled-cot') })).fileName).toBe('trl-distilled-cot-SmolLM2-135M-Instruct.zip');
  });

  it('a run of all weights gets no LoraConfig and uses no PEFT; ICL has nothing to export', () => {
    for (const id of ['no-peft', 'no-instruction-tuned-base'] as const) {
      const files = trlExport(input({ method: methodById(id) })).files;
      expect(files.map((f) => f.name)).toEqual(['train.jsonl', 'sft_config.json', 'train.py', 'README.txt']);
      expect(file(files, 'train.py')).not.toMatch(/from peft|peft_config|lora_config|LoraConfig|install[^\n]*peft/);
      expect(file(files, 'README.txt')).toContain('  pip install trl datasets && python train.py\n');
      expect(trlCommand(methodById(id))).toBe('pip install trl datasets && python train.py');
    }
    expect(file(trlExport(input()).files, 'train.py')).toContain('peft_config=peft_config');
    expect(() => trlExport(input({ method: methodById('icl') }))).toThrow(/trains nothing/);
  });
});
