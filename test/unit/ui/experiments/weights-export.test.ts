// A finished run's weights export: the PEFT adapter of a LoRA run, the tuned model of a run that trained all weights.
import { unzipSync } from 'fflate';
import { expect, test } from 'vitest';
import type { FinishedRun } from '../../../../src/fiat/experiments/queue.ts';
import { runWeightsZip, WEIGHTS_EXPORT_TEXT, weightsExportOf } from '../../../../src/ui/features/experiments/results/weights-export.ts';
import { spec } from './fixtures.ts';

const finished = (method: string) => ({ spec: spec(method) }) as FinishedRun;
const checkpoint = { step: 4, state: new Uint8Array([1]) };

function deps() {
  const asked: string[] = [];
  return {
    asked,
    latestCheckpoint: () => Promise.resolve(checkpoint),
    checkpointAdapter: () => {
      asked.push('adapter');
      return Promise.resolve({ config: { r: 8 }, weights: new Uint8Array([2]) });
    },
    checkpointModel: () => {
      asked.push('model');
      return Promise.resolve({ files: [{ name: 'config.json', bytes: new Uint8Array([123, 125]) }, { name: 'model.safetensors', bytes: new Uint8Array([3]) }] });
    },
  };
}

test('the two ablations that train all weights export the tuned model; every LoRA method its adapter', async () => {
  for (const method of ['no-peft', 'no-instruction-tuned-base']) {
    expect(weightsExportOf(finished(method))).toBe('model');
    const d = deps();
    const { zip, step } = await runWeightsZip(finished(method), 'run-1', d);
    expect(d.asked).toEqual(['model']);
    expect(step).toBe(4);
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(['config.json', 'model.safetensors']);
  }
  for (const method of ['fine-tune', 'fiat', 'no-cot', 'no-instruction', 'distilled-cot']) {
    expect(weightsExportOf(finished(method))).toBe('adapter');
    const d = deps();
    expect(Object.keys(unzipSync((await runWeightsZip(finished(method), 'run-1', d)).zip)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    expect(d.asked).toEqual(['adapter']);
  }
  expect(WEIGHTS_EXPORT_TEXT.model).toEqual({ button: 'Tuned model (zip)', fileSuffix: 'model' });
  expect(WEIGHTS_EXPORT_TEXT.adapter).toEqual({ button: 'Adapter (zip)', fileSuffix: 'adapter' });
});
