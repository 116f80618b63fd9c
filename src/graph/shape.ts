/** Static shapes: every dimension is a known non-negative integer. */
export type Shape = readonly number[];

/** Thrown for every malformed graph: bad shapes, dtypes, attributes, names. The message names the op. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
}

export const formatShape = (shape: Shape): string => `[${shape.join(',')}]`;

export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Normalises a possibly negative axis against `rank`; throws a GraphError naming `what` when out of range. */
export function normalizeAxis(axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new GraphError(`${what}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Numpy/ONNX multidirectional broadcasting of two shapes; throws naming the op and both shapes. */
export function broadcastShapes(a: Shape, b: Shape, what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new GraphError(
        `${what}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i - rank}: ${da} vs ${db})`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function checkShape(shape: Shape, what: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new GraphError(`${what}: shape ${formatShape(shape)} has a dimension that is not a non-negative integer`);
  }
}
