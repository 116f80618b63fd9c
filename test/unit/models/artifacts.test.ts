import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, test } from 'vitest';
import { kernelCost } from '../../../src/graph/cost.ts';
import { ModelProtoSchema, type ModelProto } from '../../../src/graph/onnx/gen/onnx_pb.ts';
import { liveNodes } from '../../../src/graph/onnx/emit.ts';
import { placementProblems } from '../../../src/graph/onnx/placement.ts';
import { appendPackedTrainStep } from '../../../src/graph/optim/packed-train-step.ts';
import { buildCausalLM } from '../../../src/models/causal-lm.ts';
import { buildTrainingArtifacts } from '../../../src/models/artifacts.ts';
import { ConfigError } from '../../../src/models/config-error.ts';
import { randomBaseWeights } from '../../../src/models/init.ts';
import { initLoraWeights, parseLoraSpec } from '../../../src/models/lora.ts';
import { packAdapter, parseManifest, unpackAdapter } from '../../../src/models/manifest.ts';
import { tinyLlamaConfig, tinyQwen2Config, tinyQwen3Config } from '../../support/tiny-models.ts';

const lora = parseLoraSpec({ r: 4, alpha: 8, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
const base = { lora, batchSize: 2, seqLen: 6 } as const;
const build = (options: Partial<Parameters<typeof buildTrainingArtifacts>[0]> = {}) =>
  buildTrainingArtifacts({ config: tinyLlamaConfig, weights: randomBaseWeights(options.config ?? tinyLlamaConfig, 1), ...base, ...options });
const model = (bytes: Uint8Array): ModelProto => fromBinary(ModelProtoSchema, bytes);
const names = (values: readonly { name: string }[]) => values.map((v) => v.name);

describe('buildTrainingArtifacts', () => {
  test('train step: inputs, outputs and the manifest that pairs them', () => {
    const a = build({ withGradients: true });
    const step = model(a.trainStepOnnx).graph!;
    const weights = a.manifest.weights.placement === 'inputs' ? names(a.manifest.weights.tensors) : [];
    expect(names(step.input)).toEqual(['input_ids', 'attention_mask', 'labels', 'loss_mask', 'adapter', 'lr', 'step', 'adapter.adam_m', 'adapter.adam_v', ...weights]);
    expect(names(step.output)).toEqual(['loss', 'adapter.next', 'adapter.adam_m.next', 'adapter.adam_v.next', 'grad_norm', 'adapter.grad']);
    const m = a.manifest.trainStep;
    expect(m.updates).toEqual({ 'adapter.next': 'adapter', 'adapter.adam_m.next': 'adapter.adam_m', 'adapter.adam_v.next': 'adapter.adam_v' });
    expect(m.gradients).toEqual({ 'adapter.grad': 'adapter' });
    expect(m.optimizerState.map((s) => [s.name, s.of, s.kind])).toEqual([
      ['adapter.adam_m', 'adapter', 'adam_m'],
      ['adapter.adam_v', 'adapter', 'adam_v'],
    ]);
    expect(a.manifest.optimizer).toEqual({ type: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 });
    // The manifest survives JSON and validates.
    expect(parseManifest(JSON.parse(JSON.stringify(a.manifest)))).toEqual(a.manifest);
    const forward = model(a.forwardOnnx).graph!;
    expect(names(forward.output)).toEqual(['loss', 'logits']);
    // The forward graph reads the weights but for the layouts of x's gradient ([out, in] beside a W^T; the tied
    // embedding is the gather table too).
    const backward = (n: string) => n !== 'model.embed_tokens.weight' && weights.includes(`${n}.T`);
    expect(names(forward.input)).toEqual(['input_ids', 'attention_mask', 'labels', 'loss_mask', 'adapter', ...weights.filter((n) => !backward(n))]);
    expect(weights.filter(backward)).toHaveLength(4 * 2 - 1); // qkv (not layer 0's: no x gradient there), o, gate_up, down
  });

  test('frozen weights are read as laid out on the host: no Transpose or Concat of one runs per step', () => {
    for (const config of [tinyLlamaConfig, tinyQwen2Config, tinyQwen3Config]) {
      for (const placement of ['inputs', 'initializers'] as const) {
        const a = build({ config, weightsPlacement: placement });
        const step = model(a.trainStepOnnx).graph!;
        const frozen = new Set(placement === 'inputs' ? names(step.input).filter((n) => a.weights.has(n)) : names(step.initializer).filter((n) => !n.startsWith('const_')));
        expect(frozen.size, placement).toBeGreaterThan(10);
        const layoutOps = (graph: typeof step) => graph.node.filter((n) => (n.opType === 'Transpose' || n.opType === 'Concat') && n.input.some((i) => frozen.has(i)));
        expect(layoutOps(step).map((n) => `${n.opType}(${n.input.join(', ')})`), `${config.architecture} ${placement}`).toEqual([]);
        expect(layoutOps(model(a.forwardOnnx).graph!)).toEqual([]);
      }
      // backwardWeights 'per-step': one layout per layer matrix; x's gradient transposes it (not layer 0's q, k, v),
      // the forward graph nothing.
      const a = build({ config, backwardWeights: 'per-step' });
      const transposed = model(a.trainStepOnnx).graph!.node.filter((n) => n.opType === 'Transpose' && a.weights.has(n.input[0]!)).map((n) => n.input[0]);
      expect(transposed.sort()).toEqual([...a.weights.keys()].filter((n) => /layers\.\d+\..*_proj\.weight\.T$/.test(n) && n !== 'model.layers.0.self_attn.qkv_proj.weight.T').sort());
      expect(model(a.forwardOnnx).graph!.node.filter((n) => n.input.some((i) => a.weights.has(i) && (n.opType === 'Transpose' || n.opType === 'Concat')))).toEqual([]);
    }
  });

  test('laid-out weights hold the checkpoint tensors: W^T stacked per product, the head in both layouts', () => {
    const weights = randomBaseWeights(tinyQwen2Config, 3);
    const a = build({ config: tinyQwen2Config, weights });
    const at = (name: string, row: number, col: number) => {
      const shape = a.manifest.weights.placement === 'inputs' ? a.manifest.weights.tensors.find((t) => t.name === name)!.shape : [];
      return a.weights.get(name)![row * shape[1]! + col];
    };
    const w = (name: string, row: number, col: number, cols: number) => weights.get(name)![row * cols + col];
    const hidden = tinyQwen2Config.hiddenSize;
    const q = tinyQwen2Config.numAttentionHeads * tinyQwen2Config.headDim;
    const kv = tinyQwen2Config.numKeyValueHeads * tinyQwen2Config.headDim;
    // qkv_proj.weight.T [hidden, q + k + v]: column j of the stack is row j of q, then k, then v.
    expect(at('model.layers.1.self_attn.qkv_proj.weight.T', 5, 3)).toBe(w('model.layers.1.self_attn.q_proj.weight', 3, 5, hidden));
    expect(at('model.layers.1.self_attn.qkv_proj.weight.T', 5, q + 2)).toBe(w('model.layers.1.self_attn.k_proj.weight', 2, 5, hidden));
    expect(at('model.layers.1.self_attn.qkv_proj.weight.T', 7, q + kv + 1)).toBe(w('model.layers.1.self_attn.v_proj.weight', 1, 7, hidden));
    expect(at('model.layers.1.self_attn.qkv_proj.weight', q + kv + 1, 7)).toBe(w('model.layers.1.self_attn.v_proj.weight', 1, 7, hidden));
    const bias = a.weights.get('model.layers.0.self_attn.qkv_proj.bias')!;
    expect(bias.subarray(q, q + kv)).toEqual(weights.get('model.layers.0.self_attn.k_proj.bias'));
    const inter = tinyQwen2Config.intermediateSize;
    expect(at('model.layers.0.mlp.gate_up_proj.weight.T', 4, inter + 9)).toBe(w('model.layers.0.mlp.up_proj.weight', 9, 4, hidden));
    expect(at('model.layers.0.mlp.down_proj.weight.T', 11, 6)).toBe(w('model.layers.0.mlp.down_proj.weight', 6, 11, inter));
    expect(a.weights.get('model.layers.0.mlp.down_proj.weight')).toEqual(weights.get('model.layers.0.mlp.down_proj.weight'));
    expect(at('lm_head.weight.T', 3, 50)).toBe(w('lm_head.weight', 50, 3, hidden));
    expect(a.weights.get('lm_head.weight')).toEqual(weights.get('lm_head.weight'));
    expect(a.weights.get('model.norm.weight')).toEqual(weights.get('model.norm.weight'));
  });

  test('weights as initializers: inside both graphs, not inputs; no gradient outputs unless asked', () => {
    const a = build({ weightsPlacement: 'initializers' });
    expect(a.manifest.weights).toEqual({ placement: 'initializers' });
    expect(a.weights.size).toBe(0);
    const step = model(a.trainStepOnnx).graph!;
    expect(names(step.input)).not.toContain('model.embed_tokens.weight');
    expect(names(step.initializer)).toContain('model.embed_tokens.weight');
    expect(names(step.output)).not.toContain('adapter.grad');
    expect(a.manifest.trainStep.gradients).toBeNull();
  });

  test('weights over 2 GiB cannot be initializers (one protobuf); the error says to use inputs', () => {
    // 600M float32 values as a fake weights map: only the sizes are read before the refusal.
    const huge = new Map([...randomBaseWeights(tinyLlamaConfig, 1)].map(([k, v]) => [k, v]));
    huge.set('model.embed_tokens.weight', { length: 600_000_000 } as unknown as Float32Array);
    // The embedding counts twice: the gather table and the tied head's [H, V] layout.
    expect(() => build({ weights: huge, weightsPlacement: 'initializers' })).toThrow(
      '4.47 GiB of float32 base weights (laid out for the train step) do not fit in one .onnx protobuf (2 GiB); use weights as inputs',
    );
  });

  test('initial state: PEFT init by seed (B = 0) or the given adapter, packed; zero moments', () => {
    const a = build({ seed: 5 });
    const adapter = unpackAdapter(a.manifest, a.state.get('adapter') as Float32Array);
    const peft = initLoraWeights(tinyLlamaConfig, lora, 5);
    for (const [name, data] of peft) expect(adapter.get(name)).toEqual(data);
    expect(a.state.get('adapter.adam_m')!.every((v) => v === 0)).toBe(true);
    const imported = build({ adapter: new Map([...peft].map(([k, v]) => [k, v.map((x) => x + 1)])) });
    expect(unpackAdapter(imported.manifest, imported.state.get('adapter') as Float32Array).get(a.manifest.adapter.tensors[1]!.name)!.every((v) => v === 1)).toBe(true);
    const missing = new Map(peft);
    missing.delete(a.manifest.adapter.tensors[3]!.name);
    expect(() => build({ adapter: missing })).toThrow(ConfigError);
  });

  test('both graphs pass the WebGPU placement scan, for Llama, Qwen2 and Qwen3', () => {
    for (const config of [tinyLlamaConfig, tinyQwen2Config, tinyQwen3Config]) {
      const a = build({ config, withGradients: true });
      expect(placementProblems(model(a.trainStepOnnx))).toEqual([]);
      expect(placementProblems(model(a.forwardOnnx))).toEqual([]);
    }
  });

  test("the train step's product work is about twice the forward's: frozen weights get no gradient products", () => {
    for (const config of [tinyLlamaConfig, tinyQwen2Config, tinyQwen3Config]) {
      const a = build({ config });
      const forward = buildCausalLM({ config, ...base });
      forward.graph.output('loss', forward.loss);
      const f = kernelCost(liveNodes(forward.graph)).productFlops;
      // Each frozen weight multiplies twice (forward, x's gradient; none before the first adapter), never for its own
      // gradient, which would make about 3x; the rank-r LoRA products and their gradients add a few percent.
      const ratio = a.stats.trainStepProductFlops / f;
      expect(ratio, config.architecture).toBeGreaterThan(1.9);
      expect(ratio, config.architecture).toBeLessThan(2.5);
      expect(a.stats.trainStepKernelBytes).toBeGreaterThan(0);
    }
  });

  test('the train step stays lean: one AdamW over the packed adapter, six [B,T,V] float temporaries besides the logits', () => {
    const a = build({ config: { ...tinyLlamaConfig, vocabSize: 1000 } });
    const graph = model(a.trainStepOnnx).graph!;
    const count = (op: string) => graph.node.filter((n) => n.opType === op).length;
    // AdamW's sqrt(v), its bias correction and clipping's norm once each, plus one per RMSNorm (2 layers x 2 + final).
    expect(count('Sqrt')).toBe(3 + 5);
    // The adapter's parts come out of a tree of Splits (graph/packed-params.test.ts), not a Slice each.
    expect(count('Slice')).toBe(0);
    // Splits along axis 0 unpack the adapter (1-D) or cut the gradient of a layer's stacked LoRA A (q,k,v and
    // gate,up: 2-D); along axis 1 they cut the stacked base products and rank-r products of q,k,v and gate,up.
    const splitAxis = (n: (typeof graph.node)[number]) => Number(n.attribute.find((at) => at.name === 'axis')?.i ?? 0);
    const splits = graph.node.filter((n) => n.opType === 'Split');
    const layers = tinyLlamaConfig.numHiddenLayers;
    expect(splits.filter((n) => splitAxis(n) === 0).length).toBeLessThan(a.manifest.adapter.tensors.length / 4 + 2 * layers);
    expect(splits.filter((n) => splitAxis(n) === 1).length).toBe(4 * layers);
    // Concats of at most 7 inputs, Splits of at most 7 outputs (WebGPU binds 8 storage buffers per kernel).
    expect(Math.max(...graph.node.filter((n) => n.opType === 'Concat').map((n) => n.input.length))).toBeLessThanOrEqual(7);
    expect(Math.max(...graph.node.filter((n) => n.opType === 'Split').map((n) => n.output.length))).toBeLessThanOrEqual(7);
    expect(a.stats.trainStepNodes).toBeLessThan(700);
    expect(a.stats.trainStepKernels).toBe(graph.node.filter((n) => n.opType !== 'Reshape').length);
    // Node counts are of the ONNX graphs (StopGradient emits no node).
    expect(a.stats.trainStepNodes).toBe(graph.node.length);
    expect(a.stats.forwardNodes).toBe(model(a.forwardOnnx).graph!.node.length);
    // The logits path (the forward graph's loss): [B, T, V] float tensors (Reshapes are views) are the logits,
    // then Where (target), Sub, Exp forward and Mul, Where, Add backward.
    const bigOps = (m: ReturnType<typeof buildCausalLM>, size: number) =>
      liveNodes(m.graph)
        .filter((n) => n.def.op !== 'Reshape' && n.outputs.some((o) => o.dtype !== 'bool' && o.shape.reduce((x, y) => x * y, 1) === size))
        .map((n) => n.def.op);
    const config = { ...tinyLlamaConfig, vocabSize: 1000 };
    const m = buildCausalLM({ config, ...base });
    appendPackedTrainStep({ loss: m.loss, params: m.adapter, maxGradNorm: 1 });
    expect(bigOps(m, 2 * 6 * 1000)).toEqual(['MatMul', 'Where', 'Sub', 'Exp', 'Mul', 'Where', 'Add']);
    // The train step's loss in chunks (here 2 of 6 rows): no [B, T, V] tensor, and per chunk the logits, Sub,
    // Exp, Where (target), then the gradient's Mul, Where, Sub and its Transpose into 2 column blocks of 500 (the
    // head product's sum over the vocabulary is split: ops/matmul.ts splitSumProduct), all before the next chunk's.
    const c = buildCausalLM({ config, ...base }, undefined, 'train_step', { lossChunkBytes: 6 * 1000 * 4 });
    appendPackedTrainStep({ loss: c.loss, params: c.adapter, maxGradNorm: 1 });
    expect(bigOps(c, 2 * 6 * 1000)).toEqual([]);
    const perChunk = ['MatMul', 'Sub', 'Exp', 'Where', 'Mul', 'Where', 'Sub', 'Transpose'];
    expect(bigOps(c, 6 * 1000)).toEqual([...perChunk, ...perChunk]);
  });
});

describe('manifest', () => {
  const a = build();
  const broken = (edit: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(JSON.stringify(a.manifest)) as Record<string, unknown>;
    edit(m);
    return () => parseManifest(m);
  };
  const trainStep = (m: Record<string, unknown>) => m['trainStep'] as Record<string, Record<string, unknown>>;

  test('refuses inconsistent manifests, naming the field', () => {
    expect(broken((m) => (m['version'] = 3))).toThrow('field "version"');
    expect(broken((m) => (trainStep(m)['updates']!['adapter.next'] = 'nope'))).toThrow('field "trainStep.updates.adapter.next": nope is not a trainable or optimizer-state input');
    expect(broken((m) => delete trainStep(m)['updates']!['adapter.adam_v.next'])).toThrow('no output updates the input adapter.adam_v');
    expect(broken((m) => ((m['adapter'] as { tensors: { offset: number }[] }).tensors[2]!.offset += 1))).toThrow('field "adapter.tensors.2.offset"');
    expect(broken((m) => ((m['weights'] as { file: string }).file = '../etc/passwd'))).toThrow('field "weights.file"');
  });

  test('pack and unpack are inverse', () => {
    const flat = a.state.get('adapter') as Float32Array;
    const parts = unpackAdapter(a.manifest, flat);
    expect(packAdapter(a.manifest, parts, 'float32')).toEqual(flat);
    expect(packAdapter(a.manifest, parts, 'float64')).toEqual(Float64Array.from(flat));
  });
});
