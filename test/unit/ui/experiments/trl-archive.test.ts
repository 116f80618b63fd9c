// A queued run's TRL export: the pairs the runner trains (before the chat template), refused when the data changed
// since the run was queued, or for a method that trains nothing.
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from 'vitest';
import { experimentDataHash } from '../../../../src/ui/features/experiments/runner/data-hash.ts';
import { runInputs } from '../../../../src/ui/features/experiments/runner/run-inputs.ts';
import { runTrlArchive } from '../../../../src/ui/features/experiments/runner/trl-archive.ts';
import { context, snapshot, spec, task } from './fixtures.ts';

async function queued(method: string) {
  const ctx = context();
  const settings = snapshot();
  const dataHash = await experimentDataHash(ctx, settings.run.validationSize);
  return { ctx, s: spec(method, { dataHash, settings }) };
}

test('the archive holds the run’s pairs as trained, its LoRA and SFT settings, train.py and a README', async () => {
  const { ctx, s } = await queued('fiat');
  const { fileName, bytes } = await runTrlArchive(s, task(), () => Promise.resolve(ctx));
  expect(fileName).toMatch(/\.zip$/);
  const files = unzipSync(bytes);
  expect(Object.keys(files).sort()).toEqual(['README.txt', 'lora_config.json', 'sft_config.json', 'train.jsonl', 'train.py']);
  const inputs = await runInputs(s, ctx, { backend: { ep: 'webgpu', note: null }, tag: { experimentId: 'e', itemId: 'i', method: 'fiat' } });
  if (!inputs.ok) throw new Error(inputs.message);
  const lines = strFromU8(files['train.jsonl']!).trim().split('\n').map((l) => JSON.parse(l) as { prompt: unknown; completion: unknown });
  expect(lines).toHaveLength(inputs.plainPairs.length);
  expect(lines.map((l) => [l.prompt, l.completion])).toEqual(inputs.plainPairs.map((p) => [p.prompt, p.completion]));
  expect(JSON.parse(strFromU8(files['sft_config.json']!))).toMatchObject({ seed: s.seed });
});

test('refused when the task’s data changed since the run was queued, or for ICL', async () => {
  const { ctx, s } = await queued('fiat');
  await expect(runTrlArchive({ ...s, dataHash: 'other' }, task(), () => Promise.resolve(ctx))).rejects.toThrow(/changed since this run was queued/);
  await expect(runTrlArchive(spec('icl'), task(), () => Promise.resolve(ctx))).rejects.toThrow(/trains nothing/);
});
