// The Llama, Qwen2 and Qwen3 graph builders against the PyTorch reference fixtures (test/fixtures/*/README.md):
// forward logits and loss, and the raw LoRA gradients of the train step, within 1e-4 relative in float32 and
// 1e-11 in float64 (graph optimization 'basic'), on onnxruntime-node and on onnxruntime-web's WASM EP. The
// graphs are built through the artifacts writer (with gradients) and run through the runtime's Trainer,
// i.e. the path the studio and the CLI use.
import { beforeAll, describe, expect, test } from 'vitest';
import { bytesPerElement } from '../../../src/graph/dtype.ts';
import { buildTrainingArtifacts, type WeightsPlacement } from '../../../src/models/artifacts.ts';
import type { BackwardWeights } from '../../../src/models/frozen-layout.ts';
import { unpackAdapter } from '../../../src/models/manifest.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import { Trainer } from '../../../src/runtime/trainer.ts';
import { cpuBackend, cpuBackends } from '../../support/engine-backends.ts';
import { FIXTURES, loadFixture } from '../../support/fixtures.ts';
import { relativeError } from '../../support/relative-error.ts';

const cases = [
  { dtype: 'float32', tol: 1e-4 },
  { dtype: 'float64', tol: 1e-11 },
] as const;

for (const ep of cpuBackends) {
  describe(`${ep} backend`, () => {
    let backend: Backend;
    beforeAll(() => {
      backend = cpuBackend(ep);
    });

    for (const name of FIXTURES) {
      const fixture = loadFixture(name);
      for (const { dtype, tol } of cases) {
        // Both weight placements are exercised: as initializers inside the graphs, and as shared inputs.
        const placement: WeightsPlacement = dtype === 'float32' ? 'inputs' : 'initializers';
        // The train step's loss in one chunk (the default at this size), and in 3 ([6, 5, 5] of the 16 rows).
        for (const chunks of [1, 3]) {
          const lossChunkBytes = chunks === 1 ? undefined : 6 * fixture.config.vocabSize * bytesPerElement[dtype];
          // x's gradient's weights (models/frozen-layout.ts) stored in its layout, and (float32, 3 chunks) transposed
          // each step: with weights as inputs, as there, onnxruntime cannot fold those Transposes away.
          const backwardWeights: BackwardWeights = dtype === 'float32' && chunks === 3 ? 'per-step' : 'stored';
          test(`${name} ${dtype} (weights as ${placement}, backward weights ${backwardWeights}, loss in ${chunks} chunk${chunks > 1 ? 's' : ''}): logits, loss and every LoRA gradient match PyTorch`, async () => {
            const artifacts = buildTrainingArtifacts({
              ...(lossChunkBytes === undefined ? {} : { lossChunkBytes }),
              backwardWeights,
              config: fixture.config,
              lora: fixture.lora,
              batchSize: 2,
              seqLen: 8,
              dtype,
              weights: fixture.weights,
              weightsPlacement: placement,
              adapter: fixture.adapter,
              withGradients: true,
            });
            const expected = dtype === 'float32' ? fixture.expected : fixture.expected64;
            const trainer = await Trainer.create(backend, artifacts);
            try {
              const batch = fixture.batch(dtype);
              const forward = await trainer.evaluate(batch, { logits: true });
              const errors: Record<string, number> = {
                logits: relativeError(forward.logits!, expected.float64('logits')),
                loss: relativeError([forward.loss], expected.float64('loss')),
              };
              const step = await trainer.step(batch, { lr: 1e-3, readGradients: true });
              errors['train-step loss'] = relativeError([(await step.loss)!], expected.float64('loss'));
              const gradients = unpackAdapter(artifacts.manifest, (await step.gradients)!.get(artifacts.manifest.adapter.input)!);
              expect([...gradients.keys()].sort()).toEqual([...fixture.adapter.keys()].sort());
              let worstGradient = 0;
              for (const [tensor, g] of gradients) worstGradient = Math.max(worstGradient, relativeError(g, expected.float64(tensor)));
              errors['LoRA gradients (worst)'] = worstGradient;
              console.log(`${ep} ${name} ${dtype}, ${chunks} loss chunk(s): ${Object.entries(errors).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
              for (const [what, error] of Object.entries(errors)) expect(error, what).toBeLessThan(tol);
            } finally {
              await trainer.dispose();
            }
          });
        }
      }
    }
  });
}
