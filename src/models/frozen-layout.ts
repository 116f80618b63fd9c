import { checkpointParameters, projectionModuleName, projectionShape, qkNormNames } from './architecture.ts';
import { WeightsError, type BaseWeights } from './base-weights.ts';
import type { ModelConfig, Projection } from './config.ts';

/*
 * The frozen weights as the graphs read them, made once on the host from the checkpoint's tensors (which keep
 * nn.Linear's [out, in] layout and one tensor per projection). A projection's product is a MatMul x W^T, which
 * reads W^T [in, out]; x's gradient dy W reads W [out, in]; a layer's q, k, v (and its gate, up) are one product
 * by their weights stacked along the output axis (graph/nn/lora.ts stackedLinears). Made in the graph, that is a
 * Concat and a Transpose of each weight per step when the weights are graph inputs (onnxruntime folds them only
 * for initializers, and then keeps both layouts); made here, the graphs read them as they are.
 *
 * Names (`module` is the projection's HF module, or the stack's: `model.layers.N.self_attn.qkv_proj`,
 * `model.layers.N.mlp.gate_up_proj`):
 *   `${module}.weight.T`  [in, sum of outs]   the forward product's layout (every graph reads it)
 *   `${module}.weight`    [sum of outs, in]   x's gradient's layout (backward 'stored'; only train steps read it)
 *   `${module}.bias`      [sum of outs]       the biases stacked, zeros where a projection has none
 *   `model.embed_tokens.weight` [V, H]        the gather table; also x's gradient at a tied head
 *   `model.embed_tokens.weight.T` / `lm_head.weight.T` [H, V]   the head product's layout (tied / untied)
 *   `lm_head.weight` [V, H]                   x's gradient at an untied head (train steps)
 *   RMSNorm weights                           under their checkpoint names, as they are
 * A name ending in `.weight` and its `.weight.T` are transposes of each other (graph/ir.ts declareTranspose).
 *
 * Memory: the head is kept in both layouts always. A per-step Transpose of it would make a [V, H] tensor that
 * lives through the whole loss, at the step's peak: the same bytes, plus a pass over them and a kernel. So a tied
 * embedding exists twice (gather table and head), as an untied head does. The layers' matrices are kept twice only
 * with backward 'stored'; with 'per-step' x's gradient transposes W^T each step (a kernel and a pass per matrix,
 * each transient, one layer's worth at a time).
 */

/** How x's gradient reads the layers' frozen matrices: stored in its layout too, or transposed each step. */
export type BackwardWeights = 'stored' | 'per-step';

/** The projections of one input that are one product, in the graph's order. */
export const PROJECTION_STACKS: readonly (readonly Projection[])[] = [['q', 'k', 'v'], ['o'], ['gate', 'up'], ['down']];

export interface FrozenTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Checkpoint tensors stacked along their first axis, in order; `null` is `rows` zeros (a missing bias). */
  readonly parts: readonly { readonly name: string | null; readonly rows: number }[];
  /** Whether the stack is stored transposed (2-D stacks only). */
  readonly transposed: boolean;
}

/** The names of one product's frozen tensors (PROJECTION_STACKS), for the graph builder. */
export interface StackNames {
  readonly weightT: string;
  /** null with backward 'per-step'. */
  readonly weight: string | null;
  readonly bias: string | null;
  readonly outs: readonly number[];
}

/** A stack's module name: the projection's own for one, `qkv_proj` / `gate_up_proj` beside them for several. */
function stackModule(layer: number, stack: readonly Projection[]): string {
  const first = projectionModuleName(layer, stack[0]!);
  const short = stack.join('') === 'qkv' ? 'qkv' : stack.join('_');
  return `${first.slice(0, first.lastIndexOf('.'))}.${short}_proj`;
}

export function stackNames(config: ModelConfig, layer: number, stack: readonly Projection[], backward: BackwardWeights): StackNames {
  const module = stackModule(layer, stack);
  return {
    weightT: `${module}.weight.T`,
    weight: backward === 'stored' ? `${module}.weight` : null,
    bias: stack.some((p) => config.bias[p]) ? `${module}.bias` : null,
    outs: stack.map((p) => projectionShape(config, p).outFeatures),
  };
}

/** The head's two layouts: [H, V] for the logits product, [V, H] for x's gradient (the embedding when tied). */
export function headNames(config: ModelConfig): { weightT: string; weight: string } {
  const module = config.tieWordEmbeddings ? 'model.embed_tokens' : 'lm_head';
  return { weightT: `${module}.weight.T`, weight: `${module}.weight` };
}

/** Every frozen tensor the graphs may read, in checkpoint order (a graph leaves out those it does not read). */
export function frozenTensors(config: ModelConfig, backward: BackwardWeights): FrozenTensor[] {
  const shapes = new Map(checkpointParameters(config).map((p) => [p.name, p.shape]));
  const plain = (name: string): FrozenTensor => ({ name, shape: shapes.get(name)!, parts: [{ name, rows: shapes.get(name)![0]! }], transposed: false });
  const out: FrozenTensor[] = [plain('model.embed_tokens.weight')];
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    for (const stack of PROJECTION_STACKS) {
      const names = stackNames(config, layer, stack, backward);
      const inFeatures = projectionShape(config, stack[0]!).inFeatures;
      const total = names.outs.reduce((a, n) => a + n, 0);
      const modules = stack.map((p) => projectionModuleName(layer, p));
      const weights = modules.map((m, i) => ({ name: `${m}.weight`, rows: names.outs[i]! }));
      out.push({ name: names.weightT, shape: [inFeatures, total], parts: weights, transposed: true });
      if (names.weight !== null) out.push({ name: names.weight, shape: [total, inFeatures], parts: weights, transposed: false });
      if (names.bias !== null) {
        const parts = stack.map((p, i) => ({ name: config.bias[p] ? `${modules[i]}.bias` : null, rows: names.outs[i]! }));
        out.push({ name: names.bias, shape: [total], parts, transposed: false });
      }
      if (stack.includes('o') && config.qkNorm) out.push(plain(qkNormNames(layer).q), plain(qkNormNames(layer).k));
    }
    out.push(plain(`model.layers.${layer}.input_layernorm.weight`), plain(`model.layers.${layer}.post_attention_layernorm.weight`));
  }
  out.push(plain('model.norm.weight'));
  const head = headNames(config);
  const source = config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
  out.push({ name: head.weightT, shape: [config.hiddenSize, config.vocabSize], parts: [{ name: source, rows: config.vocabSize }], transposed: true });
  if (!config.tieWordEmbeddings) out.push(plain('lm_head.weight'));
  return out;
}

/** The pairs of frozen tensors that are transposes of each other: [name, name of its transpose]. */
export function transposePairs(tensors: readonly FrozenTensor[]): [string, string][] {
  const names = new Set(tensors.map((t) => t.name));
  return tensors.filter((t) => t.name.endsWith('.weight') && names.has(`${t.name}.T`)).map((t) => [t.name, `${t.name}.T`]);
}

/** A frozen tensor's data from the checkpoint's (float32, checkpoint names): the parts stacked, transposed if so laid out. */
export function layOut(tensor: FrozenTensor, weights: BaseWeights): Float32Array {
  const parts = tensor.parts.map((p) => {
    if (p.name === null) return null;
    const data = weights.get(p.name);
    if (data === undefined) throw new WeightsError(`base weights: tensor "${p.name}" is missing`);
    return data;
  });
  if (parts.length === 1 && !tensor.transposed) return parts[0]!;
  const size = tensor.shape.reduce((a, n) => a * n, 1);
  const stacked = new Float32Array(size);
  let offset = 0;
  parts.forEach((data, i) => {
    if (data !== null) stacked.set(data, offset);
    offset += data?.length ?? tensor.parts[i]!.rows;
  });
  if (!tensor.transposed) return stacked;
  // stacked is [rows, cols]; the tensor is its transpose [cols, rows].
  const [cols, rows] = tensor.shape as [number, number];
  const out = new Float32Array(size);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = stacked[r * cols + c]!;
  return out;
}
