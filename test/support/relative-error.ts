/**
 * max |a - r| / max(max |r|, 1e-12) over a tensor: the error relative to the reference's scale. The one
 * tolerance measure of the graph, model, engine and e2e checks (a reference of zeros counts as scale 1e-12).
 */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return diff / scale;
}
