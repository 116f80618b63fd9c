// A checkpoint's adapter as LoRA tensors by PEFT name (engine/checkpoint.ts checkpointAdapter): the packed adapter is
// unpacked in loraParameters' order with the LoRA settings of its metadata; another model, another shape or bytes that
// are no checkpoint are refused with what differs.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { checkpointAdapter, writeCheckpoint } from '../../../src/engine/checkpoint.ts';
import { parseModelConfig } from '../../../src/models/config.ts';
import { adapterLayout } from '../../../src/models/inference.ts';
import { loraParameters, parseLoraSpec } from '../../../src/models/lora.ts';
import { packAdapter } from '../../../src/models/manifest.ts';

const config = parseModelConfig(JSON.parse(readFileSync('test/fixtures/tiny-llama/config.json', 'utf8')));
const lora = parseLoraSpec({ r: 2, alpha: 4, targets: ['v', 'q', 'down'] });

/** Each tensor filled with values that name it (its index and position), so a wrong offset shows. */
function knownTensors(): Map<string, Float32Array> {
  return new Map(loraParameters(config, lora).map((p, i) => [p.name, Float32Array.from({ length: p.shape[0] * p.shape[1] }, (_, j) => i + j / 1000)]));
}

function checkpointOf(tensors: Map<string, Float32Array>, model = 'tiny') {
  const adapter = packAdapter(adapterLayout(config, lora), tensors, 'float32') as Float32Array;
  const state = new Map([
    ['adapter', adapter],
    ['adapter.adam_m', new Float32Array(adapter.length).fill(7)],
    ['adapter.adam_v', new Float32Array(adapter.length).fill(9)],
  ]);
  return writeCheckpoint(state, 3, { model, lora });
}

test('the adapter comes back by PEFT name with the LoRA settings it was trained with', () => {
  const tensors = knownTensors();
  const read = checkpointAdapter(checkpointOf(tensors), config, 'tiny');
  expect(read.spec).toEqual(lora);
  expect([...read.tensors.keys()]).toEqual([...tensors.keys()]);
  for (const [name, data] of tensors) expect(read.tensors.get(name), name).toEqual(data);
});

test('a checkpoint of another model, of other shapes, or bytes that are no checkpoint are refused', () => {
  const checkpoint = checkpointOf(knownTensors());
  expect(() => checkpointAdapter(checkpoint, config, 'another')).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringContaining('not another') as unknown }));
  const wider = { ...config, hiddenSize: config.hiddenSize * 2 };
  expect(() => checkpointAdapter(checkpoint, wider, 'tiny')).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringContaining('values, this setup needs') as unknown }));
  expect(() => checkpointAdapter({ step: 3, state: new Uint8Array(16) }, config, 'tiny')).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringContaining('not readable') as unknown }));
});
