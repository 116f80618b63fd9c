import type { ModelProto } from './gen/onnx_pb.ts';

/**
 * Where emitted nodes run on onnxruntime-web 1.30's WebGPU EPs (probed; DESIGN.md, and Max/Min with
 * scripts/graph-webgpu-check.ts): these fall back to the CPU (or misbehave), which costs a
 * GPU->CPU->GPU round trip per node per step.
 */
export const deniedOps: Readonly<Record<string, string>> = {
  OneHot: 'CPU only on WebGPU',
  LogSoftmax: 'CPU only on WebGPU',
  Sign: 'CPU only on WebGPU',
  Sum: 'CPU only on WebGPU',
  ConstantOfShape: 'CPU only on WebGPU',
  Max: 'CPU only on the JSEP WebGPU build (ort.all); use builders.max (Where)',
  Min: 'CPU only on the JSEP WebGPU build (ort.all); use builders.min (Where)',
};

const comparisons = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']);

/**
 * Scans an emitted model for nodes that would leave the GPU: denied op types, Split with
 * num_outputs (returned NaN on JSEP), comparisons of int64 tensors, non-default domains. Element types
 * are tracked from inputs and initializers through the nodes (Cast gives its `to`, comparisons give
 * bool, other ops keep their first input's type), which is exact for the ops the emitter writes.
 * Returns one message per problem; empty means clean.
 */
export function placementProblems(model: ModelProto): string[] {
  const graph = model.graph;
  if (graph === undefined) return ['model has no graph'];
  const elemType = new Map<string, number>();
  for (const i of graph.input) {
    const t = i.type?.value;
    if (t?.case === 'tensorType') elemType.set(i.name, t.value.elemType);
  }
  for (const init of graph.initializer) elemType.set(init.name, init.dataType);
  const problems: string[] = [];
  for (const node of graph.node) {
    const where = `${node.name} (${node.opType})`;
    if (node.domain !== '' && node.domain !== 'ai.onnx') problems.push(`${where}: domain ${node.domain} is not ai.onnx`);
    const reason = deniedOps[node.opType];
    if (reason !== undefined) problems.push(`${where}: ${reason}`);
    if (node.opType === 'Split' && node.attribute.some((a) => a.name === 'num_outputs')) problems.push(`${where}: Split with num_outputs returned NaN on JSEP`);
    const first = elemType.get(node.input[0] ?? '');
    if (comparisons.has(node.opType) && first === 7) problems.push(`${where}: int64 comparison falls back to the CPU`);
    const out =
      node.opType === 'Cast' ? Number(node.attribute.find((a) => a.name === 'to')?.i ?? 0) : comparisons.has(node.opType) ? 9 : first;
    for (const o of node.output) if (out !== undefined) elemType.set(o, out);
  }
  return problems;
}
