/**
 * The buffers of a value that postMessage may transfer instead of copying: those of typed-array views that cover
 * their whole, non-shared ArrayBuffer (PeftAdapter.weights). A view on part of a buffer is copied, because
 * transferring it would move (and detach) the rest of the buffer with it, which may belong to someone else.
 *
 * Only for values whose sender gives them away (the engine's results, see protocol.ts): after the post, the
 * sender's views of these buffers are empty.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  collect(value, buffers, new Set());
  return [...buffers];
}

function collect(value: unknown, buffers: Set<ArrayBuffer>, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const { buffer } = value;
    if (buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buffer.byteLength) buffers.add(buffer);
    return;
  }
  // Plain data only: a Blob, Map or class instance is cloned as it is (the Engine's values are plain objects).
  if (Array.isArray(value)) {
    for (const item of value) collect(item, buffers, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collect(item, buffers, seen);
  }
}
