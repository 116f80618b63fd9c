import { expect, test } from 'vitest';
import { MODEL_PRESETS } from '../../../src/engine/presets.ts';
import { ARCHITECTURES } from '../../../src/models/config.ts';

test('every preset names a Hub repo of an architecture the engine builds, with a size and a licence', () => {
  expect(new Set(MODEL_PRESETS.map((p) => p.id)).size).toBe(MODEL_PRESETS.length);
  for (const p of MODEL_PRESETS) {
    expect(p.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(ARCHITECTURES).toContain(p.architecture);
    // BF16: about two bytes per parameter.
    expect(p.approxDownloadBytes / p.parameters).toBeGreaterThan(1.8);
    expect(p.approxDownloadBytes / p.parameters).toBeLessThan(2.6);
    expect(p.licence).not.toBe('');
  }
  expect(MODEL_PRESETS.map((p) => p.label)).toEqual(['SmolLM2-135M-Instruct', 'SmolLM2-360M-Instruct', 'Qwen2.5-0.5B-Instruct', 'Qwen3-0.6B']);
});
