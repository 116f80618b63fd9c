// A stored run's tuned weights: its latest checkpoint made into PEFT's two files (a LoRA run) or the model's files (a
// run that trained all weights) by the engine, zipped.
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from 'vitest';
import type { TrainingCheckpoint } from '../../../../src/engine/engine.ts';
import { runAdapterZip, runModelZip } from '../../../../src/ui/features/tuning/checkpoint-exports.ts';

const checkpoint: TrainingCheckpoint = { step: 40, state: new Uint8Array([9, 9]) };

test("the zip holds adapter_config.json (PEFT's layout) and adapter_model.safetensors of the run's latest checkpoint", async () => {
  const asked: string[] = [];
  const given: TrainingCheckpoint[] = [];
  const { zip, step } = await runAdapterZip('run-1', {
    latestCheckpoint: (id) => {
      asked.push(id);
      return Promise.resolve(checkpoint);
    },
    checkpointAdapter: (c) => {
      given.push(c);
      return Promise.resolve({ config: { r: 4, base_model_name_or_path: 'm', lora_alpha: 8 }, weights: new Uint8Array([1, 2, 3]) });
    },
  });
  expect(asked).toEqual(['run-1']);
  expect(given).toEqual([checkpoint]);
  expect(step).toBe(40);
  const files = unzipSync(zip);
  expect(Object.keys(files).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  expect(strFromU8(files['adapter_config.json']!)).toBe('{\n  "base_model_name_or_path": "m",\n  "lora_alpha": 8,\n  "r": 4\n}\n');
  expect([...files['adapter_model.safetensors']!]).toEqual([1, 2, 3]);
});

test('a run with no checkpoint says so, and the engine is not asked', async () => {
  let engineAsked = false;
  await expect(
    runAdapterZip('run-2', {
      latestCheckpoint: () => Promise.resolve(undefined),
      checkpointAdapter: () => {
        engineAsked = true;
        return Promise.reject(new Error('unreachable'));
      },
    }),
  ).rejects.toThrow(/kept no checkpoint/);
  expect(engineAsked).toBe(false);
});

test("a full-weight run's zip holds the engine's model files (config.json, model.safetensors) of its latest checkpoint", async () => {
  const given: TrainingCheckpoint[] = [];
  const { zip, step } = await runModelZip('run-3', {
    latestCheckpoint: (id) => Promise.resolve(id === 'run-3' ? checkpoint : undefined),
    checkpointModel: (c) => {
      given.push(c);
      return Promise.resolve({ files: [{ name: 'config.json', bytes: new TextEncoder().encode('{"model_type": "llama"}') }, { name: 'model.safetensors', bytes: new Uint8Array([4, 5]) }] });
    },
  });
  expect(given).toEqual([checkpoint]);
  expect(step).toBe(40);
  const files = unzipSync(zip);
  expect(Object.keys(files).sort()).toEqual(['config.json', 'model.safetensors']);
  expect(strFromU8(files['config.json']!)).toBe('{"model_type": "llama"}');
  expect([...files['model.safetensors']!]).toEqual([4, 5]);
  await expect(runModelZip('run-4', { latestCheckpoint: () => Promise.resolve(undefined), checkpointModel: () => Promise.reject(new Error('unreachable')) })).rejects.toThrow(
    'This run kept no checkpoint (it was imported, or its checkpoints were deleted): there is no tuned model to export.',
  );
});

test("the engine's refusal comes back as it is (a LoRA checkpoint asked for a model, another model loaded)", async () => {
  const refusal = new Error('the checkpoint is of a LoRA run');
  await expect(runModelZip('run-5', { latestCheckpoint: () => Promise.resolve(checkpoint), checkpointModel: () => Promise.reject(refusal) })).rejects.toBe(refusal);
});
