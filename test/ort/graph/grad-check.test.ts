// Every primitive's VJP and every composite, against central finite differences in float64.
// The reference (inputs, cotangent, FD gradients) is generated once per case on onnxruntime-node and
// replayed on each backend: onnxruntime-node (CPU EP) and onnxruntime-web's WASM EP in Node.
import { describe, expect, test } from 'vitest';
import { opTable } from '../../../src/graph/ops/table.ts';
import { analyticErrors, finiteDifferenceReference, type Reference } from '../../support/grad-check.ts';
import { backends, nodeBackend } from '../../support/ort-backends.ts';
import { compositeCases, primitiveCases, type GradCase } from './grad-cases.ts';

const TOLERANCE = 1e-6;

/**
 * Cases a backend cannot run, with the reason. Empty: both backends run every case. (StopGradient
 * has no gradient; Cast, Equal, Less, Greater have none either, so they have no FD case; they are
 * covered by the unit tests and, as parts of composites, here.)
 */
const skip: Readonly<Record<string, Readonly<Record<string, string>>>> = {};
const noGradientOps = new Set(['StopGradient', 'Cast', 'Equal', 'Less', 'Greater']);

const references = new Map<string, Promise<Reference>>();
const reference = (c: GradCase) => {
  let r = references.get(c.name);
  if (r === undefined) {
    r = finiteDifferenceReference(c, nodeBackend);
    references.set(c.name, r);
  }
  return r;
};

const worst: Record<string, number> = {};

test('every differentiable primitive of the op table has a case', () => {
  const covered = new Set(primitiveCases.map((c) => c.op));
  const missing = [...opTable.keys()].filter((op) => !covered.has(op) && !noGradientOps.has(op));
  expect(missing).toEqual([]);
});

for (const backend of backends()) {
  describe(backend.name, () => {
    for (const c of [...primitiveCases, ...compositeCases]) {
      const why = skip[backend.name]?.[c.name];
      test.skipIf(why !== undefined)(`${c.name}`, async () => {
        const ref = await reference(c);
        const { loss, errors } = await analyticErrors(c, ref, backend);
        expect(Math.abs(loss - ref.loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.loss)));
        for (const [name, err] of Object.entries(errors)) {
          worst[backend.name] = Math.max(worst[backend.name] ?? 0, err);
          expect(err, `gradient of ${name}`).toBeLessThan(TOLERANCE);
        }
      });
    }
    test('worst relative error (report)', () => {
      console.log(`${backend.name}: worst relative gradient error ${(worst[backend.name] ?? NaN).toExponential(2)}`);
      expect(worst[backend.name]).toBeLessThan(TOLERANCE);
    });
  });
}
