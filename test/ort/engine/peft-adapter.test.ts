// A PEFT adapter written by `fiat train` means to Python PEFT what it means to the engine: the fixture
// (scripts/fixtures/make_peft_adapter_fixture.py) trained one on the demo model with `fiat train` and saved the logits
// transformers + PeftModel.from_pretrained give with it. Here `fiat train` runs again with the same flags, its adapter
// is compared with the one PEFT read, and the engine's forward graph with it is compared with PEFT's logits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test, vi } from 'vitest';
import { main } from '../../../cli/main.ts';
import { readPeftAdapter } from '../../../src/engine/peft-adapter.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { loadBaseWeights } from '../../../src/models/base-weights.ts';
import { packBatch } from '../../../src/models/batch.ts';
import { parseModelConfigText } from '../../../src/models/config.ts';
import { readSafetensors } from '../../../src/models/safetensors.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend } from '../../support/engine-backends.ts';
import { relativeError } from '../../support/relative-error.ts';

const fixture = 'test/fixtures/peft-adapter';
const demo = 'public/models/demo';
const dir = mkdtempSync(join(tmpdir(), 'fiat-peft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('fiat train writes the adapter PEFT loaded, and the engine computes PEFT\'s logits with it', async () => {
  const flags = JSON.parse(readFileSync(join(fixture, 'train-flags.json'), 'utf8')) as string[];
  const out = join(dir, 'adapter');
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await main(['train', '--model', demo, '--data', join(fixture, 'train.jsonl'), ...flags, '--out', out], () => undefined)).toBe(0);
  } finally {
    log.mockRestore();
  }
  const config = parseModelConfigText(readFileSync(join(demo, 'config.json'), 'utf8'));
  const read = (path: string) => readPeftAdapter({ config: JSON.parse(readFileSync(join(path, 'adapter_config.json'), 'utf8')) as Record<string, unknown>, weights: readFileSync(join(path, 'adapter_model.safetensors')) }, config);
  const ours = read(out);
  const theirs = read(join(fixture, 'adapter'));
  expect(ours.spec).toEqual(theirs.spec);
  for (const [name, values] of theirs.tensors) expect(relativeError(ours.tensors.get(name)!, values), name).toBeLessThan(1e-5);

  const weights = loadBaseWeights(config, [{ name: 'model.safetensors', file: readSafetensors(readFileSync(join(demo, 'model.safetensors'))) }]).weights;
  const expected = readSafetensors(readFileSync(join(fixture, 'expected.safetensors')));
  const texts = Number(expected.metadata['texts']);
  expect(texts).toBeGreaterThan(0);
  for (let i = 0; i < texts; i++) {
    const ids = Array.from(expected.int64(`input_ids.${i}`), Number);
    const logits = async (adapter: ReadonlyMap<string, Float32Array> | undefined) => {
      const artifacts = buildTrainingArtifacts({ config, lora: ours.spec, batchSize: 1, seqLen: ids.length, weights, ...(adapter ? { adapter } : {}), weightsPlacement: 'initializers' });
      const trainer = await Trainer.create(cpuBackend('node'), artifacts);
      try {
        const all = (await trainer.evaluate(packBatch([{ tokens: ids, promptLength: 0 }], { batchSize: 1, seqLen: ids.length }), { logits: true })).logits!;
        const keep = expected.info(`logits.${i}`).shape[0]!;
        return all.slice((ids.length - keep) * config.vocabSize);
      } finally {
        await trainer.dispose();
      }
    };
    const adapted = await logits(ours.tensors);
    expect(relativeError(adapted, expected.float32(`logits.${i}`)), `text ${i}`).toBeLessThan(1e-4);
    // Without the adapter the engine gives PEFT's base logits, and those differ: the adapter is what matched.
    const base = await logits(undefined);
    expect(relativeError(base, expected.float32(`base_logits.${i}`))).toBeLessThan(1e-4);
    expect(relativeError(base, expected.float32(`logits.${i}`))).toBeGreaterThan(1e-2);
  }
});
