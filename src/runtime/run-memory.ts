import { bytesPerElement } from '../graph/dtype.ts';
import type { Graph, Node, Tensor } from '../graph/ir.ts';
import { sizeOf } from '../graph/shape.ts';
import { JsepBuffers } from './jsep-buffers.ts';

/**
 * The GPU buffers of train steps on onnxruntime-web's JSEP WebGPU EP, replayed from the graph before it is emitted
 * (for engine/memory.ts). What it follows:
 * - the nodes run in the emitted order (liveNodes'); each tensor is allocated when its node runs and freed after
 *   its last consumer (but see the optimizer's chain below); Reshape (and StopGradient, which emits nothing)
 *   alias their input; graph outputs outlive the run. (A replay of onnxruntime's own order, a depth-first walk
 *   from the graph's sinks, was further from the measured peaks, and its peak jumps up and down with the layer
 *   count.)
 * - JSEP's buffers (jsep-buffers.ts): buckets, free lists, recycling at each flush (in a fitted window of nodes:
 *   NODES_PER_RECYCLE);
 * - the Trainer (trainer.ts): weights and state uploaded once as exact-size buffers, batch inputs and scalars
 *   copied in each run, each step's state outputs fed to the next step and the replaced ones released.
 * Not modelled: onnxruntime's graph optimisations (fusions change a few tensors), uniform and staging buffers
 * (bytes each), kernels' own temporaries. Constants (rotary tables, masks, iota) are uploaded at session creation.
 */

export interface RunMemoryOptions {
  /** The train-step graph, its outputs declared. */
  readonly graph: Graph;
  /** Its emitted nodes in emitted order (liveNodes). */
  readonly nodes: readonly Node[];
  /** Inputs that live on the GPU before the run (weights, state): uploaded once, exact size. */
  readonly resident: ReadonlySet<Tensor>;
  /** Output -> the input it replaces at the next step (the updated state). */
  readonly carried: ReadonlyMap<Tensor, Tensor>;
  readonly steps: number;
  /**
   * Graph capture: every input is a fixed GPU tensor that onnxruntime allocated (runtime/webgpu-backend.ts), so in
   * JSEP's buffer sizes, and the state inputs stay beside the outputs copied onto them. The recording run is
   * replayed like a plain one: JSEP keeps the buffers released while it records, yet the measured peak of a
   * captured tiny step was 1.17 times the plain one, not the sum of every intermediate (bench/engine/README.md).
   */
  readonly graphCapture: boolean;
}

export interface RunMemory {
  readonly peakBytes: number;
  /** The largest GPU buffer made (JSEP's bucket size; resident inputs at their own size). */
  readonly largestBufferBytes: number;
}

const bytesOf = (t: Tensor): number => sizeOf(t.shape) * bytesPerElement[t.dtype];
const ALIASES = new Set(['Reshape', 'StopGradient']);
/**
 * The replay recycles released buffers every this many emitted nodes, where JSEP flushes (and recycles) every 16
 * dispatches (jsep-buffers.ts DISPATCHES_PER_FLUSH). A fitted window, not JSEP's: with 16 the replay was within -6%
 * and +11% of the measured peaks except where 4 loss chunks follow one another (+30%: each chunk's first [rows, V]
 * tensors came before the flush that would hand them the previous chunk's buffers, while the trace shows JSEP
 * making one chunk's buffers and reusing them for the next three); with 11 every measured row is within -6% and
 * +10% (bench/engine/README.md). What makes JSEP recycle sooner than a 16-node window is not found: its loss-chunk
 * kernels are one dispatch each, and no node there falls back to the CPU (a download would flush).
 */
const NODES_PER_RECYCLE = 11;

/** Replays `steps` train steps; returns the peak of live GPU buffer bytes, the constants and resident inputs included. */
export function runMemory(options: RunMemoryOptions): RunMemory {
  const { graph, nodes, resident, carried } = options;
  const aliasOf = new Map<Tensor, Tensor>();
  for (const n of nodes) if (ALIASES.has(n.def.op)) aliasOf.set(n.outputs[0]!, n.inputs[0]!);
  // StopGradient is not among `nodes` (it emits nothing), but the graph still routes tensors through it.
  for (const n of graph.nodes) if (n.def.op === 'StopGradient') aliasOf.set(n.outputs[0]!, n.inputs[0]!);
  const rootOf = (t: Tensor): Tensor => {
    let r = t;
    for (let a = aliasOf.get(r); a !== undefined; a = aliasOf.get(r)) r = a;
    return r;
  };
  // The emitted order: the forward pass, the backward pass layer by layer from the last, then clipping and AdamW.
  const order = nodes.filter((n) => n.def.op !== 'StopGradient');

  const outputs = new Set(graph.outputs.map((o) => rootOf(o.tensor)));
  const lastUse = new Map<Tensor, number>();
  order.forEach((n, i) => {
    for (const t of n.inputs) lastUse.set(rootOf(t), i);
    for (const t of n.outputs) if (!lastUse.has(rootOf(t))) lastUse.set(rootOf(t), i);
  });
  // Each tensor gets a buffer of its own when its node runs, given back after its last use (graph outputs outlive
  // the run), except along the optimizer's chain of [P] vectors: there a tensor takes the buffer of an input of
  // its size that dies at its node. This is what the measured buffer counts per size show (bench/engine/README.md):
  // onnxruntime's planner can reuse a freed buffer for a tensor of the same shape, yet activations do not get it.
  const owner = new Map<Tensor, Tensor>();
  const taken = new Set<Tensor>();
  const made: Tensor[][] = [];
  order.forEach((n, i) => {
    const fresh: Tensor[] = [];
    if (!ALIASES.has(n.def.op)) {
      for (const t of n.outputs) {
        if (rootOf(t) !== t) continue;
        const dying =
          t.shape.length === 1 && !outputs.has(t)
            ? n.inputs.map(rootOf).find((x) => x.producer !== undefined && !outputs.has(x) && lastUse.get(x) === i && bytesOf(x) === bytesOf(t) && !taken.has(x))
          : undefined;
        if (dying !== undefined) {
          taken.add(dying);
          owner.set(t, owner.get(dying) ?? dying);
        } else fresh.push(t);
      }
    }
    made.push(fresh);
  });
  const end = new Map<Tensor, number>(); // buffer (by the tensor that made it) -> last use of its last holder
  for (const [t, i] of lastUse) if (!outputs.has(t) && t.producer !== undefined) end.set(owner.get(t) ?? t, Math.max(end.get(owner.get(t) ?? t) ?? -1, i));
  const freedAt = new Map<number, Tensor[]>();
  for (const [t, i] of end) (freedAt.get(i) ?? freedAt.set(i, []).get(i)!).push(t);
  const perRun = graph.inputs.filter((t) => !resident.has(t) && lastUse.has(t));

  const gpu = new JsepBuffers(NODES_PER_RECYCLE);
  // Graph capture's fixed tensors (weights and state included) are outputs of an onnxruntime session: JSEP buffers.
  for (const t of resident) if (options.graphCapture) gpu.create(bytesOf(t));
  else gpu.external(bytesOf(t));
  for (const t of graph.constants) if (lastUse.has(t)) gpu.create(bytesOf(t));
  /** The buffers holding the previous step's outputs that the next step reads as its state. */
  let previous: number[] | null = null;
  for (let step = 1; step <= options.steps; step++) {
    const size = new Map<Tensor, number>();
    const uploads = perRun.map((t) => gpu.create(bytesOf(t)));
    order.forEach((n, i) => {
      for (const t of made[i]!) size.set(t, gpu.create(bytesOf(t)));
      if (!ALIASES.has(n.def.op)) gpu.dispatch();
      for (const t of freedAt.get(i) ?? []) gpu.release(size.get(t)!);
    });
    for (const s of uploads) gpu.release(s);
    gpu.flush();
    // The Trainer then drops the state it fed: the initial upload is destroyed, an earlier output released. Under
    // graph capture it copies the outputs onto the fixed state tensors, which stay.
    if (previous === null) {
      if (!options.graphCapture) for (const t of carried.values()) gpu.destroy(bytesOf(t));
    } else for (const s of previous) gpu.release(s);
    previous = [...outputs].map((t) => size.get(t)!).filter((s) => s !== undefined);
  }
  return { peakBytes: gpu.peakBytes, largestBufferBytes: gpu.largestBytes };
}
