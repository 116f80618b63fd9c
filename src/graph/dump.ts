import type { AttrValue, Graph, Tensor } from './ir.ts';
import { liveNodes } from './onnx/emit.ts';
import { formatShape } from './shape.ts';

/**
 * A readable text form of a graph, one line per node: `outputs: type = Op(inputs) attrs`. Only the
 * nodes that emission would write (those the outputs need) are listed, in graph order; constants
 * show their values when they have at most 8. Snapshot tests compare these dumps.
 */
export function dumpGraph(graph: Graph, options: { all?: boolean } = {}): string {
  const nodes = options.all ? graph.nodes : liveNodes(graph);
  const read = new Set<Tensor>([...nodes.flatMap((n) => n.inputs), ...graph.outputs.map((o) => o.tensor)]);
  const type = (t: Tensor): string => `${t.dtype}${formatShape(t.shape)}`;
  const lines = [`graph ${graph.name}`];
  for (const t of graph.inputs) lines.push(`  input ${t.name}: ${type(t)}`);
  for (const t of graph.initializers) if (read.has(t)) lines.push(`  initializer ${t.name}: ${type(t)}${t.data ? '' : ' (no data)'}`);
  for (const t of graph.constants) if (read.has(t)) lines.push(`  constant ${t.name}: ${type(t)} = ${values(t)}`);
  for (const node of nodes) {
    const outs = node.outputs.map((o) => `${o.name}: ${type(o)}`).join(', ');
    const attrs = Object.entries(node.attrs)
      .filter(([, v]) => v !== false)
      .map(([k, v]) => `${k}=${attr(v)}`)
      .join(' ');
    lines.push(`  ${outs} = ${node.def.op}(${node.inputs.map((t) => t.name).join(', ')})${attrs ? ` ${attrs}` : ''}`);
  }
  for (const { name, tensor } of graph.outputs) lines.push(`  output ${name}${tensor.name === name ? '' : ` = ${tensor.name}`}: ${type(tensor)}`);
  return lines.join('\n');
}

function attr(v: AttrValue): string {
  return Array.isArray(v) ? `[${v.join(',')}]` : String(v);
}

function values(t: Tensor): string {
  const data = t.data;
  if (data === undefined) return '?';
  if (data.length > 8) return `(${data.length} values)`;
  const items = Array.from(data as ArrayLike<number | bigint>, (v) => String(v));
  return t.shape.length === 0 ? items[0]! : `[${items.join(', ')}]`;
}
