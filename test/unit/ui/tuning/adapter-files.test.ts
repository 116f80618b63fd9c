// The adapter files a user picks: the two PEFT files found by name (also in a folder), the config read as JSON.
import { expect, test } from 'vitest';
import { adapterBaseLabel, readAdapterFiles } from '../../../../src/ui/features/tuning/adapter-files.ts';

const config = new File(['{"base_model_name_or_path": "fiat-studio/demo", "revision": "main", "r": 2}'], 'adapter_config.json');
const weights = new File([new Uint8Array([1, 2, 3])], 'adapter_model.safetensors');

test('the two files make a PEFT adapter, whatever else was picked with them', async () => {
  const readme = new File(['hi'], 'README.md');
  const adapter = await readAdapterFiles([readme, weights, config]);
  expect(adapter.config).toEqual({ base_model_name_or_path: 'fiat-studio/demo', revision: 'main', r: 2 });
  expect([...adapter.weights]).toEqual([1, 2, 3]);
  expect(adapterBaseLabel(adapter)).toBe('fiat-studio/demo@main');
  expect(adapterBaseLabel({ config: { base_model_name_or_path: 'local model', revision: null }, weights: new Uint8Array() })).toBe('local model');
  expect(adapterBaseLabel({ config: {}, weights: new Uint8Array() })).toBeNull();
});

test('a missing file or a config that is not JSON is named', async () => {
  await expect(readAdapterFiles([config])).rejects.toThrow(/adapter_model\.safetensors is not among those picked/);
  await expect(readAdapterFiles([])).rejects.toThrow(/adapter_config\.json and adapter_model\.safetensors is not among/);
  await expect(readAdapterFiles([new File(['{"r": '], 'adapter_config.json'), weights])).rejects.toThrow(/adapter_config\.json is not JSON/);
  await expect(readAdapterFiles([new File(['[1]'], 'adapter_config.json'), weights])).rejects.toThrow(/not a JSON object/);
});
