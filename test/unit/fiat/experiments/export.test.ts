import { describe, expect, it } from 'vitest';
import type { TrainingSetup } from '../../../../src/engine/engine.ts';
import { runExportFiles } from '../../../../src/fiat/experiments/export/bundle.ts';
import { loraConfig } from '../../../../src/fiat/experiments/export/lora-config.ts';
import { sftConfig } from '../../../../src/fiat/experiments/export/sft-config.ts';
import { trainingJsonl } from '../../../../src/fiat/experiments/export/training-jsonl.ts';
import { methodById } from '../../../../src/fiat/experiments/methods.ts';

const setup: TrainingSetup = { lora: { r: 4, alpha: 8, targets: ['v', 'q', 'down'] }, batchSize: 8, microBatchSize: 2, seqLen: 256, ep: 'wasm' };

describe('training set JSONL', () => {
  it("writes one object per line, in TRL's conversational or text prompt-completion format", () => {
    const pairs = [{ prompt: 'সে কে?\n"x"', completion: 'supported' }];
    expect(trainingJsonl(pairs, 'text')).toBe('{"prompt":"সে কে?\\n\\"x\\"","completion":"supported"}\n');
    expect(trainingJsonl(pairs, 'conversational')).toBe(
      '{"prompt":[{"role":"user","content":"সে কে?\\n\\"x\\""}],"completion":[{"role":"assistant","content":"supported"}]}\n',
    );
    expect(trainingJsonl([], 'text')).toBe('');
  });
});

describe('LoraConfig', () => {
  it("names the HF modules in PEFT's order, with no dropout, bias none, CAUSAL_LM", () => {
    expect(loraConfig(setup.lora)).toEqual({ r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: ['q_proj', 'v_proj', 'down_proj'], bias: 'none', task_type: 'CAUSAL_LM' });
    expect(() => loraConfig({ ...setup.lora, targets: ['q', 'qkv'] })).toThrow(/unknown LoRA target\(s\) qkv/);
  });
});

describe('SFTConfig', () => {
  const run = (lr: Parameters<typeof sftConfig>[0]['lr'], over: Partial<TrainingSetup> = {}) => sftConfig({ setup: { ...setup, ...over }, totalSteps: 50, lr, seed: 3 });

  it("maps the schedule to transformers' names", () => {
    expect(run(1e-4)).toMatchObject({ learning_rate: 1e-4, lr_scheduler_type: 'constant', warmup_steps: 0 });
    expect(run({ peak: 2e-4, warmupSteps: 5 })).toMatchObject({ learning_rate: 2e-4, lr_scheduler_type: 'constant_with_warmup', warmup_steps: 5 });
    expect(run({ peak: 2e-4, warmupSteps: 5, decay: 'linear' })).toMatchObject({ lr_scheduler_type: 'linear', warmup_steps: 5 });
    expect(run({ peak: 2e-4, decay: 'cosine' })).toMatchObject({ lr_scheduler_type: 'cosine', warmup_steps: 0 });
  });

  it('splits the batch into micro-batches and accumulation, and states the optimizer as the studio runs it', () => {
    expect(run(1e-4)).toMatchObject({
      max_steps: 50,
      per_device_train_batch_size: 2,
      gradient_accumulation_steps: 4,
      max_length: 256,
      seed: 3,
      data_seed: 3,
      adam_beta1: 0.9,
      adam_beta2: 0.999,
      adam_epsilon: 1e-8,
      weight_decay: 0.01,
      max_grad_norm: 1,
      completion_only_loss: true,
      packing: false,
    });
    expect(run(1e-4, { microBatchSize: undefined, weightDecay: 0, maxGradNorm: null })).toMatchObject({ per_device_train_batch_size: 8, gradient_accumulation_steps: 1, weight_decay: 0, max_grad_norm: 0 });
    expect(() => run(1e-4, { microBatchSize: 3 })).toThrow(/not a multiple/);
  });
});

describe('runExportFiles', () => {
  const input = { model: { name: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main' }, pairs: [{ prompt: 'p', completion: 'c' }], chatTemplate: true, run: { setup, totalSteps: 10, lr: 1e-4, seed: 0 } };

  it('a LoRA run: the JSONL, the LoraConfig, the SFTConfig and a script that reads them', () => {
    const files = runExportFiles({ ...input, method: methodById('fiat') });
    expect(files.map((f) => f.name)).toEqual(['train.jsonl', 'lora_config.json', 'sft_config.json', 'train.py']);
    const script = files[3]!.text;
    expect(script).toContain('peft_config = LoraConfig(**json.load(open(os.path.join(here, "lora_config.json"))))');
    expect(script).toContain('parser.add_argument("--model", default="HuggingFaceTB/SmolLM2-135M-Instruct")');
    expect(script).toContain("TRL's conversational prompt-completion format");
  });

  it('a full-weight run has no LoraConfig and trains without PEFT; ICL has nothing to export', () => {
    const files = runExportFiles({ ...input, chatTemplate: false, method: methodById('no-peft') });
    expect(files.map((f) => f.name)).toEqual(['train.jsonl', 'sft_config.json', 'train.py']);
    expect(files[2]!.text).toContain('train_dataset=dataset)\n');
    expect(files[2]!.text).not.toMatch(/from peft|peft_config|install[^\n]*peft/);
    expect(files[2]!.text).toContain('no chat template');
    expect(() => runExportFiles({ ...input, method: methodById('icl') })).toThrow(/trains nothing/);
  });
});
